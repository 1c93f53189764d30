"""The forms of the visits' pages, by subject: `campaigns` (a campaign, a questionnaire, a step)
and `visit` (the liaison's phone form, built from the questionnaire's definition)."""
