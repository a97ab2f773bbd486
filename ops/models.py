"""ops' permission, on a model without a table (Django's way to give a permission no model of
its own: the documentation's "global permissions").

``ops.flush_objects`` lets a user flush the objects cluster (/status/flush-objects/). Being
staff is not enough: a flush also empties the Basic credential cache and every rendered feed,
and staff may hold fewer rights than others (SECURITY.md).
"""

from django.db import models


class Operations(models.Model):
    class Meta:
        managed = False  # no table: the model only carries the permission
        default_permissions = ()
        permissions = [("flush_objects", "Can flush the objects cluster")]

    def __str__(self):
        return "operations"
