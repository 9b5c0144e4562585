"""Product settings: JSON values stored as rows, changed through the CLI and the admin API.

Read with ``queries.get_product_setting(session, key, default)`` (or a typed accessor such as
``queries.prevent_replies_when_closed(session)``), write with
``actions.do_set_product_setting(session, key, value)``. ``KNOWN`` lists the keys the core
reads, with their defaults.
"""

from relaydesk.config.keys import KNOWN, SettingKey

__all__ = ["KNOWN", "SettingKey"]
