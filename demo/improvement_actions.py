# Narratives read best one update to a line.
# ruff: noqa: E501
"""The actions of the live (illustrative) SEND improvement plan, by priority. Days are counted from the as-of date.

Everything here is generated for the demonstration: descriptions, leads, dates, figures and update notes.
"""

from __future__ import annotations

from demo.plans import COMPLETE, IN_PROGRESS, NOT_STARTED, ON_HOLD, ActionSeed

# fmt: off
ACTIONS = {
    "1": [
        ActionSeed(
            "1.1",
            "Reconcile every EHC plan record on the case management system with the school census, health records and placement invoices, so the whereabouts and provision of every child and young person with an EHC plan is known.",
            ("officer", "neil.foster"), ("council",), start=-280, due=-100,
            success_measure="Leaders know where every child and young person with an EHC plan is and what provision they receive.",
            success_criteria=("100% of EHC plan records reconciled with the school census and placement invoices", "Exceptions resolved or escalated within 10 working days"),
            evidence="Reconciliation workbook signed off by the Head of SEND Statutory Services; SEND Operational Group minutes.",
            updates=(
                (250, "officer", IN_PROGRESS, "green", "Reconciliation started. The first extract matched 1,214 of 1,386 records to the January school census; the 172 unmatched cases are split between the casework teams."),
                (200, "neil.foster", IN_PROGRESS, "green", "Matching rules improved (date of birth plus UPN). Unmatched cases down to 61, mostly post-16 or out of borough."),
                (150, "officer", IN_PROGRESS, "amber", "Nine young people whose placement we cannot yet confirm. Caseworkers are visiting or phoning each family this week; two referred to Children Missing Education."),
                (115, "officer", COMPLETE, "blue", "All records reconciled and every setting confirmed; the two CME cases are now on roll. The exception report now runs monthly (action 1.5)."),
            ),
        ),
        ActionSeed(
            "1.2",
            "Keep a single tracking list of children and young people with EHC plans who are educated out of borough, electively home educated or missing education, reviewed weekly by casework managers.",
            ("officer",), ("council",), start=-200, due=-21, original_due=-80,
            success_measure="No child or young person with an EHC plan is unaccounted for.",
            success_criteria=("Tracking list reviewed every week with no gaps", "Every out-of-borough provider returns attendance data monthly under a signed data-sharing agreement"),
            rag_reason="Two independent out-of-borough providers have not signed the data-sharing agreement, so we cannot confirm the list is complete.",
            recovery_plan="Escalated to the Assistant Director, who is writing to both providers. Weekly manual returns until the agreements are signed; a new completion date goes to the next SEND Development Board.",
            updates=(
                (170, "officer", IN_PROGRESS, "green", "Tracking list built in the case management system. Casework managers review it every Monday."),
                (95, "officer", IN_PROGRESS, "amber", "31 of 35 out-of-borough providers have signed the data-sharing agreement. Chasing the rest; the board agreed to move the due date."),
                (40, "officer", IN_PROGRESS, "amber", "33 signed. Two independent providers say their legal teams are still reviewing it."),
                (9, "officer", IN_PROGRESS, "red", "Still two providers outstanding and we are past the revised date. Escalated to the Assistant Director; weekly manual returns in the meantime."),
            ),
        ),
        ActionSeed(
            "1.3",
            "Replace the SEND module of the case management system and migrate EHC plan records with validated data.",
            ("neil.foster", "tom.hughes"), ("council",), start=-240, due=150, original_due=60,
            success_measure="Records are accurate and complete, and tell casework officers when reviews are due.",
            success_criteria=("Migration test shows 99.5% of records transferred without error", "Every casework officer trained before go-live"),
            rag_reason="The supplier delayed the second data migration test by eight weeks.",
            recovery_plan="Second migration test booked; casework teams keep using the old module until sign-off. Revised go-live agreed by the SEND Development Board.",
            updates=(
                (210, "neil.foster", IN_PROGRESS, "green", "Supplier contract signed. Cleansing the old module: duplicate and closed records identified."),
                (120, "neil.foster", IN_PROGRESS, "green", "First migration test: 97.8% of records transferred cleanly. The errors are mainly old addresses and placement history."),
                (60, "neil.foster", IN_PROGRESS, "amber", "The supplier has pushed the second migration test back eight weeks. Go-live moves from autumn to winter; the board agreed the new date."),
                (12, "tom.hughes", IN_PROGRESS, "amber", "Second test booked. Training plan for casework officers agreed, with super-users in each team."),
            ),
        ),
        ActionSeed(
            "1.4",
            "Share a monthly extract of children and young people with EHC plans with the integrated care board, so health providers know which of the children they see have a plan.",
            ("dalvinder.kaur", "neil.foster"), ("icb", "council"), start=-150, due=45,
            success_measure="Health professionals know which children they support have EHC plans and contribute to their reviews.",
            success_criteria=("Data-sharing agreement signed by the council and the ICB", "Extract received by community paediatrics, therapies and CAMHS every month"),
            updates=(
                (130, "dalvinder.kaur", IN_PROGRESS, "green", "Data protection impact assessment agreed by both information governance teams."),
                (70, "neil.foster", IN_PROGRESS, "green", "First two monthly extracts sent securely. Community paediatrics matched 94% to their caseload."),
                (18, "dalvinder.kaur", IN_PROGRESS, "green", "Therapies and CAMHS now receive the extract too. Last step: adding it to the provider contract schedules."),
            ),
        ),
        ActionSeed(
            "1.5",
            "Give the SEND Development Board a monthly SEND performance report: caseload, whereabouts exceptions, and timeliness of assessments and reviews.",
            ("neil.foster",), ("council",), start=-220, due=-60,
            success_criteria=("Report presented at every board meeting for three months running",),
            evidence="Board papers for the last three meetings.",
            updates=(
                (190, "neil.foster", IN_PROGRESS, "green", "Format agreed with the board chair: one page of measures, one page of exceptions."),
                (130, "neil.foster", IN_PROGRESS, "green", "First two reports presented. The board asked for trend lines and national comparators."),
                (75, "neil.foster", COMPLETE, "blue", "Third report in a row presented with trends and comparators; now business as usual."),
            ),
        ),
        ActionSeed(
            "1.6",
            "Train every SEND casework officer in the recording standards and audit 20 case records a month against them.",
            ("rachel.whitfield", "tom.hughes"), ("council",), start=-120, due=90,
            success_criteria=("All casework officers trained", "90% of audited records meet the recording standard for three months running"),
            updates=(
                (100, "rachel.whitfield", IN_PROGRESS, "green", "Recording standards published. Training booked for all three casework teams."),
                (45, "rachel.whitfield", IN_PROGRESS, "green", "All but two officers trained (both on leave, booked for next month). First audit: 72% of records met the standard."),
                (6, "rachel.whitfield", IN_PROGRESS, "green", "Second audit: 84% met the standard. Common gaps: missing provision end dates and out-of-date contacts."),
            ),
        ),
    ],
    "2": [
        ActionSeed(
            "2.1",
            "Agree and publish a local area SEND quality assurance framework across education, health and social care.",
            ("rachel.whitfield", "dalvinder.kaur"), ("council", "icb"), start=-260, due=-90,
            success_criteria=("Framework agreed by the SEND Development Board", "Framework published on the Local Offer"),
            evidence="Published framework; SEND Development Board minutes.",
            updates=(
                (230, "rachel.whitfield", IN_PROGRESS, "green", "Workshop with health, social care, schools and the Parent Carer Forum to agree what good looks like at each stage of the EHC process."),
                (160, "dalvinder.kaur", IN_PROGRESS, "green", "Health quality standards for EHC advice added to the draft framework."),
                (100, "rachel.whitfield", COMPLETE, "blue", "Framework agreed by the SEND Development Board and published on the Local Offer."),
            ),
        ),
        ActionSeed(
            "2.2",
            "Quality assure every out-of-borough and independent specialist placement through annual visits and termly data returns, instead of relying on providers' own reports.",
            ("rachel.whitfield", "grace.okoro"), ("council",), start=-180, due=120, original_due=30,
            success_criteria=("Every placement visited at least once a year", "Termly returns received from every provider"),
            rag_reason="Visits are behind schedule: 14 of 38 placements visited.",
            recovery_plan="Educational psychologists join the visits from next month; visits are prioritised by cost and by concerns raised at annual reviews.",
            updates=(
                (150, "rachel.whitfield", IN_PROGRESS, "green", "Visit schedule and template agreed. Termly data return sent to all 38 providers."),
                (80, "rachel.whitfield", IN_PROGRESS, "amber", "Only nine visits done since we lost a quality assurance officer. The board agreed to move the end date by three months."),
                (14, "grace.okoro", IN_PROGRESS, "amber", "14 of 38 visited. We rated two placements 'requires improvement' and agreed action plans with both providers."),
            ),
        ),
        ActionSeed(
            "2.3",
            "Run a multi-agency audit of ten EHC plans each month and report the themes to the SEND Operational Group.",
            ("officer", "dalvinder.kaur"), ("council", "icb"), start=-200, due=60,
            success_criteria=("Ten plans audited every month by education, health and care auditors", "Themes and actions reported to every SEND Operational Group"),
            updates=(
                (180, "officer", IN_PROGRESS, "green", "Audit tool agreed; auditors from education, health and social care paired for the first round."),
                (120, "dalvinder.kaur", IN_PROGRESS, "green", "Health auditors now take part every month. Common finding: health advice copied into plans without outcomes."),
                (45, "officer", IN_PROGRESS, "green", "Six months of audits: 38% of plans rated good, up from 20%. Themes reported to the Operational Group."),
            ),
        ),
        ActionSeed(
            "2.4",
            "Set up the SEND Operational Group and refresh the SEND Development Board's terms of reference so each partner's accountabilities are clear.",
            ("tom.hughes",), ("council",), start=-300, due=-240,
            success_criteria=("Terms of reference agreed by all partners",),
            evidence="Terms of reference of both groups; minutes of their first meetings.",
            updates=(
                (280, "tom.hughes", IN_PROGRESS, "green", "Draft terms of reference for both groups sent to partners."),
                (250, "tom.hughes", COMPLETE, "blue", "Both agreed. The Operational Group meets monthly, chaired by the Assistant Director of Education & Skills."),
            ),
        ),
        ActionSeed(
            "2.5",
            "Include SEND quality measures in NHS contracts for therapies and community paediatrics, and report them to the SEND Development Board every quarter.",
            ("mark.oconnor", "dalvinder.kaur"), ("icb",), start=-90, due=200,
            success_criteria=("Measures in the contract schedules from the new contract year", "First quarterly report to the board"),
            updates=(
                (75, "mark.oconnor", IN_PROGRESS, "green", "Measures drafted with providers: waits for assessment, timeliness of EHC advice and quality of advice."),
                (20, "mark.oconnor", IN_PROGRESS, "green", "Providers agree the measures in principle; contract variations being drafted."),
            ),
        ),
        ActionSeed(
            "2.6",
            "Agree with schools and colleges a termly return of SEN support and EHC plan outcomes data.",
            ("claire.dunn", "amira.hassan"), ("trust", "college"), start=-100, due=240,
            success_criteria=("Return template agreed with the SENCo and college forums", "First return received from 90% of settings"),
            rag_reason="Paused until the new case management system is live (action 1.3), so settings are not asked for the same data twice.",
            recovery_plan="Restart the month after go-live; the template is being agreed meanwhile so no time is lost.",
            updates=(
                (85, "claire.dunn", IN_PROGRESS, "green", "Return template drafted with the SENCo forum; colleges want destinations included."),
                (22, "amira.hassan", ON_HOLD, "amber", "Paused by the Operational Group until the new case management system is live (action 1.3), so settings are not asked for the same data twice."),
            ),
        ),
    ],
    "3": [
        ActionSeed(
            "3.1",
            "Notify professionals automatically when an EHC plan is due for annual review, with a two-week deadline for written advice.",
            ("neil.foster", "dalvinder.kaur"), ("council", "icb"), start=-130, due=30,
            success_criteria=("Notifications sent for every annual review", "80% of advice received within two weeks"),
            updates=(
                (110, "neil.foster", IN_PROGRESS, "green", "Notification templates written with health and social care colleagues."),
                (50, "neil.foster", IN_PROGRESS, "green", "Notifications switched on for schools and social care; health addresses being checked."),
                (4, "dalvinder.kaur", IN_PROGRESS, "green", "Health professionals are notified too. 71% of advice came back within two weeks last month."),
            ),
        ),
        ActionSeed(
            "3.2",
            "Bring every overdue annual review up to date, starting with phase transfers and young people aged 19 to 25.",
            ("officer",), ("council",), start=-160, due=75, original_due=-10,
            success_criteria=("No annual review more than 12 months overdue", "Every phase transfer review held on time"),
            rag_reason="112 reviews are still overdue; the backlog is falling more slowly than planned because of two caseworker vacancies.",
            recovery_plan="Two agency caseworkers start next week; review meetings batched by school; weekly backlog figures to the Head of SEND Statutory Services.",
            updates=(
                (140, "officer", IN_PROGRESS, "green", "Backlog of 412 overdue reviews. Phase transfers and 19 to 25 year olds booked first."),
                (90, "officer", IN_PROGRESS, "green", "Backlog down to 268. All phase transfer reviews held."),
                (30, "officer", IN_PROGRESS, "amber", "Two caseworker vacancies have slowed us: 140 still overdue. The board agreed to move the end date by 12 weeks."),
                (3, "officer", IN_PROGRESS, "amber", "112 overdue. Agency caseworkers start next week, and we are batching review meetings by school."),
            ),
        ),
        ActionSeed(
            "3.3",
            "Co-produce a new EHC plan template and a 'what a good EHC plan looks like' guide with the Parent Carer Forum and young people.",
            ("karen.lloyd", "grace.okoro"), ("capa", "council"), start=-250, due=-120,
            success_criteria=("Template and guide agreed by the Parent Carer Forum and the youth forum", "Every new plan written on the new template"),
            evidence="Template, guide and feedback from the launch event.",
            updates=(
                (220, "karen.lloyd", IN_PROGRESS, "green", "Three workshops with parents and two with the youth forum. Families want their own words in section A and outcomes they recognise."),
                (170, "grace.okoro", IN_PROGRESS, "green", "Template and guide drafted and tried on ten plans with families."),
                (125, "karen.lloyd", COMPLETE, "blue", "Launched at a joint Parent Carer Forum and SENCo event. Every new plan now uses the template."),
            ),
        ),
        ActionSeed(
            "3.4",
            "Quality assure one in ten new and amended EHC plans each term with health and social care contributors, and feed the findings back to plan writers.",
            ("grace.okoro", "ian.patel"), ("council",), start=-150, due=100,
            success_criteria=("10% of plans audited each term", "70% of audited plans rated good or better"),
            updates=(
                (130, "grace.okoro", IN_PROGRESS, "green", "Moderation panel set up with educational psychology, social care and health."),
                (60, "ian.patel", IN_PROGRESS, "green", "Social care advice now reviewed in every audit; child in need plans aligned in 8 of 10 cases."),
                (16, "grace.okoro", IN_PROGRESS, "green", "This term: 46 plans audited, 58% good or better, up from 31%."),
            ),
        ),
        ActionSeed(
            "3.5",
            "Use what EHC plans and annual reviews tell us to shape the joint commissioning strategy, including provision for young people aged 19 to 25.",
            ("mark.oconnor", "tom.hughes"), ("icb", "council"), start=-110, due=10,
            success_criteria=("Needs analysis drawn from EHC plan and annual review data", "Joint commissioning strategy agreed by the council and the ICB"),
            rag_reason="The 19 to 25 needs analysis has slipped: annual review data for young people over 19 is incomplete.",
            recovery_plan="Post-19 reviews are prioritised in action 3.2 and the college's data fills the gap meanwhile. Propose a two-stage strategy to the board: 0 to 19 now, 19 to 25 in the spring.",
            updates=(
                (95, "mark.oconnor", IN_PROGRESS, "green", "Fields agreed: primary need, provision and outcomes from every EHC plan and annual review."),
                (40, "tom.hughes", IN_PROGRESS, "amber", "Analysis for 0 to 19 done; post-19 data incomplete because of the review backlog."),
                (7, "mark.oconnor", IN_PROGRESS, "red", "We will miss the due date. Proposing a two-stage strategy to the board."),
            ),
        ),
        ActionSeed(
            "3.6",
            "Develop with the college a post-19 pathway of supported internships and independent living skills, informed by annual review data.",
            ("amira.hassan",), ("college",), start=30, due=240,
            success_criteria=("Pathway designed with young people", "First cohort of twelve supported interns"),
            updates=(
                (60, "amira.hassan", NOT_STARTED, "green", "Scoped with the council's post-16 team. Starts next term, once action 3.5 gives us the needs analysis."),
                (10, "amira.hassan", NOT_STARTED, "green", "Employer partners lined up for the supported internships; start date confirmed."),
            ),
        ),
    ],
}
# fmt: on
