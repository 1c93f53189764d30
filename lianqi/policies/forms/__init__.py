"""Forms of the policy supermarket, by page: the shelf (`shelf`), the ledger and applications
(`ledger`), and the workbench where a policy's rule is written (`workbench`)."""
