"""The building blocks every app's API is made of: base viewsets, filters, pagination, the
error shape and the schema class. The `lianqi.api` app assembles the routes."""
