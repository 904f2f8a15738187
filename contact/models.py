from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        HANDLED = "handled", _("handled")

    class Topic(models.TextChoices):
        WORKSHOP = "workshop", _("A workshop for our municipality")
        QUESTION = "question", _("A question about Zelfscan")

    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=160)
    topic = models.CharField(_("subject"), max_length=20, choices=Topic.choices, default=Topic.WORKSHOP)
    message = models.TextField(_("message"), max_length=4000)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"
