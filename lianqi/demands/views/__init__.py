"""The demand pages, by subject: `lists` (the register, the department inbox, the office board,
legacy problems), `detail` (a demand's page, its steps and files), `intake` (the liaison's
phone view and the intake form), `catalogue` (the categories and their routing), `code` (the
enterprise's pages under its code) and `enterprise` (the demands' section of the enterprise's
file). The statistics page lives with the statistics (`demands.statistics.views`)."""
