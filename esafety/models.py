from django.db import models


class FigureVersion(models.Model):
    """The version of one area of the portal's data that cached figures are keyed by (``esafety.figures``).

    Every write that changes a figure of the area gives it a new, never reused value in the same
    transaction, so a figure cached under the old value is never read again once the write commits.
    """

    area = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.area}: {self.version}"
