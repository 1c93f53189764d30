"""Forms of the register's pages, by subject: the register itself (`register`), the Excel import
(`importing`) and the tag vocabulary (`tags`)."""

from .register import ContactForm, EnterpriseForm, YearFigureForm, jurisdictions_for, staff_for

__all__ = ["ContactForm", "EnterpriseForm", "YearFigureForm", "jurisdictions_for", "staff_for"]
