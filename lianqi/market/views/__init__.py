"""The market's pages, by subject: offers, needs, introductions and matching events
(`listings`), purchases and their import (`purchases`), the industrial chains with their map
and the local-purchase subsidy (`chains`), and the product brochure (`brochure`)."""
