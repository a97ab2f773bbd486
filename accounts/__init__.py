"""The site's users: a ``User`` model of our own from day one, its admin, and the account pages."""
