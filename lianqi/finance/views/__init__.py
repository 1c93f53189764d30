"""The finance supermarket's pages, split by subject: the shelf and an enterprise's matches
(`products`), applications and the bank's queue (`applications`), the office's overview and
the enterprise file's section (`overview`)."""
