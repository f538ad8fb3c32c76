from __future__ import annotations

import datetime

import pytest

from actions.models import Board, Meeting


@pytest.fixture
def fortnightly_board(db) -> Board:
    """A board that met on Thursday 22 May 2025 and meets next on Thursday 12 June 2025.

    With the default five working days' notice its deadlines are Thursday 15 May and Thursday 5 June.
    """
    board = Board.objects.create(name="SEND Development Board")
    Meeting.objects.create(board=board, date=datetime.date(2025, 5, 22))
    Meeting.objects.create(board=board, date=datetime.date(2025, 6, 12))
    return board
