"""Discord's limits, defined once: every cog, view and renderer imports them from here.

discord.py enforces none of these (Discord answers 400, code 50035, to a message or an
autocomplete response that breaks one), so the bot must meet them by construction.
Sources: https://discord.com/developers/docs/resources/message#embed-object and
https://discord.com/developers/docs/interactions/application-commands.
"""

from __future__ import annotations

#: Characters in a message's plain content.
CONTENT_MAX = 2000

#: Embed limits, per embed; EMBED_TOTAL_MAX is shared by all the embeds of one message.
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE_MAX = 10

#: Choices in one autocomplete response (or one option's fixed choices).
CHOICES_MAX = 25
#: Characters in a choice's name, and in its value when the value is a string.
CHOICE_TEXT_MAX = 100

#: Characters in a message nonce (the key Discord uses to drop a repeated send).
NONCE_MAX = 25
