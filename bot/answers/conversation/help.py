"""/help: what the bot can do, and the commands the CLI understands."""

from __future__ import annotations

from bot.answers.core.model import Answer, AnswerKind, Field

COMMANDS: dict[str, str] = {
    "/sources": "the texts in the corpus, with author, date and publication",
    "/search": "passages matching some words: `/search <words> [source:<text>]`",
    "/quote": "a quotation, who said it and where it comes from: "
              "`/quote [words] [person:<name>] [source:<text>]`; no words for a random one",
    "/who": "a short, sourced summary of a person, any name or spelling: `/who Yagoda`",
    "/when": "when something happened, as the texts say: `/when Kronstadt`, `/when 1927`",
    "/timeline": "what happened, in order: `/timeline [from] [to] [person:<name>]`",
    "/compare": "what each text says about a topic, side by side, and where they disagree: "
                "`/compare Kronstadt`",
    "/prompt": "the daily discussion prompt: `/prompt today`; in a server, moderators "
               "schedule it with `/prompt schedule`",
    "/help": "what the bot can do",
}
#: Only Discord has these (the CLI takes a plain question as it is typed): shown by /help,
#: never routed or suggested as CLI commands.
DISCORD_ONLY: dict[str, str] = {
    "/ask": "a plain question as a command, in Discord: `/ask who killed Trotsky?` "
            "(in the console just type the question)",
    "/plan": "the group's reading plan: `/plan show`; moderators `/plan set`, `advance`, "
             "`pause`, `resume`; `/config spoilers:true` keeps answers to what it has reached",
    "Find in the texts": "in Discord, on any message (right-click or long-press it > Apps): "
                         "the quotation or passage its words come from, or “not in the texts”",
}


def help_answer() -> Answer:
    return Answer(
        AnswerKind.HELP,
        "Reading-circle companion",
        "I answer from the texts the circle reads: Trotsky's *The Revolution Betrayed* and "
        "essays about it. Every answer says where in the corpus it comes from. Mention me or "
        "write to me with a plain question too: “who was Yagoda?”, “when did Lenin die?”, "
        "“who said ‘dustbin of history’?”.",
        fields=[Field(name, text) for name, text in _listed().items()],
    )


def _listed() -> dict[str, str]:
    """Every command in the order /help shows them: /help itself last."""
    listed = {name: text for name, text in COMMANDS.items() if name != "/help"}
    return {**listed, **DISCORD_ONLY, "/help": COMMANDS["/help"]}
