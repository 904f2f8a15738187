"""Fixed lists a respondent chooses from when registering."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    # The seven application domains of the NL Smart City Strategie.
    CIRCULAR_ECONOMY = "circular_economy", _("Circular economy")
    MOBILITY = "mobility", _("Mobility")
    ENERGY = "energy", _("Energy")
    URBAN_DEVELOPMENT = "urban_development", _("Urban development and built environment")
    HEALTH = "health", _("Health and wellbeing")
    SAFETY = "safety", _("Safety and liveability")
    WATER = "water", _("Water resilience")
    # The municipality's own business areas.
    IT = "it", _("IT and information management")
    DATA = "data", _("Data and research")
    FINANCE = "finance", _("Finance")
    HR = "hr", _("HR")
    PROCUREMENT = "procurement", _("Procurement and contract management")
    PUBLIC_SERVICES = "public_services", _("Public services and customer contact")
    SOCIAL = "social", _("Social domain")
    COMMUNICATION = "communication", _("Communication")
    LEGAL = "legal", _("Legal affairs and privacy")
    STRATEGY = "strategy", _("Strategy and programme management")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    BOARD = "board", _("Board (alderman, mayor, municipal secretary)")
    MANAGEMENT = "management", _("Management")
    POLICY = "policy", _("Policy")
    PROGRAMME = "programme", _("Programme or project management")
    OPERATIONS = "operations", _("Operations and implementation")
    IT = "it", _("IT or information management")
    ADVISORY = "advisory", _("Advice and support")
    OTHER = "other", _("Other")
