"""The pages of key projects, by subject: the portfolio, its export and dashboard and one project
(`portfolio`), the battle map and reports (`progress`), and the meetings (`meetings`). Thin:
objects come through the `access_*` loaders, reads from `queries`, and every write is an action."""
