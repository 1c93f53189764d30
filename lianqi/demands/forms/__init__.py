"""Forms of the demand pages, by subject: `intake` (a new demand), `steps` (the form of any step
of the lifecycle, and adding files), `lists` (the board's bulk assignment), `catalogue` (the
categories and their routing) and `code` (the enterprise's pages under its code)."""
