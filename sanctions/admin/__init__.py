"""Officials' admin for incentives and punishments (Simplified Chinese).

Every step goes through ``sanctions.services`` (the same functions the API calls), so the admin cannot skip due
process. Officers see their own department's entries; the credit centre, auditors and superusers see all.
"""

from sanctions.admin import common, follow_up, lists, measures

__all__ = ["common", "follow_up", "lists", "measures"]
