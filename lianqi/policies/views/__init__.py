"""Pages of the policy supermarket, by subject: the shelf (`shelf`), the ledger and
applications (`ledger`), the workbench (`workbench`), the pages under the enterprise's code
(`code`) and the sections of the enterprise's file (`enterprise`)."""
