"""The one error the corpus layer raises for a file it cannot use.

It lives in a module of its own, importing nothing of bot/corpus, so that every loader can
raise it without importing load.py (which imports the parsers, which would import it back).
"""

from __future__ import annotations

from bot.yamlfile import YamlFileError


class CorpusError(YamlFileError):
    """A corpus file cannot be read; str() says which file, line and key, and what is wrong.

    A YamlFileError, so the one YAML reader raises it directly for the corpus's YAML files
    and front matter; texts that are not YAML at all (binary, empty) raise it too.
    """
