"""The visits' pages, by subject: `campaigns` (list, detail with coverage, create, steps),
`questionnaires` (list and editor), `recording` (the liaison's phone form, one visit, the
enterprise file's section). Thin: objects come through the `access_*` loaders, reads from
`queries`, and every write is an action."""
