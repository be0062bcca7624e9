"""Yes/no and manner questions settled by the text's own way of saying it, on the real corpus."""

from __future__ import annotations

import pytest

from bot.answers.conversation.router import ask
from bot.answers.core.model import AnswerKind
from tests.answer_helpers import build_context, shown


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str):
    return build_context(tmp_path_factory.mktemp("ask-yes-no") / "ask.sqlite3",
                         backend=backend)


@pytest.mark.parametrize(("question", "reply", "sentence"), [
    # A verb of denial other than "not": "Ignoring the advice of his lawyers".
    ("did trotsky take his lawyers' advice at his 1906 trial?", "No",
     "Ignoring the advice of his lawyers"),
    # ... but not when the question asks about that very deed.
    ("did the bolsheviks refuse to join trotsky's 1912 block?", "Yes",
     "the Bolsheviks refused to join"),
    # "live long enough to take part": the degree frames the deed ("did not live to
    # participate").
    ("did trotsky live long enough to take part in the debates after the war?", "No",
     "Trotsky did not live to participate in the political debates"),
    # A yes/no question after a clause that sets the scene.
    ("when he was in turkey did trotsky call for overthrowing the stalin regime?", "No",
     "Trotsky did not call for its overthrow"),
    # What was done instead of the deed denies it.
    ("did the state apparatus wither away after the revolution?", "No",
     "instead of withering away, had grown into a monstrosity"),
    # Lashing out at a policy is criticising it.
    ("did trotsky lash out at stalin's policy for the chinese revolution?", "Yes",
     "Lev Trotsky sharply criticized the suicidal policy proposed by Stalin"),
    # "the text is not only a signature work ...; it is also ...": "not only" denies nothing.
    ("was the revolution betrayed the last book trotsky completed?", "Yes",
     "The last monograph he completed, the text is not only a signature work"),
    # ... and after the words that say by whom it is asked
    ("according to the medium review was the left opposition suspicious of the peasants",
     "Yes", "This Left Opposition was suspicious of the peasantry"),
    # What the reviewer reckons of someone is what the review says; "not everyone has blood
    # on their hands like Trotsky did" says he had.
    ("does the reviewer reckon trotsky had blood on his hands?", "Yes",
     "not everyone has blood on their hands like Trotsky did"),
    # Floating an idea is hinting at it.
    ("did trotsky float the idea of a shorter working day?", "Yes",
     "Trotsky also hinted of a seven-hour day for workers"),
])
def test_yes_no_is_settled_by_the_sentence_that_asserts_or_denies_it(ctx, question, reply,
                                                                      sentence):
    answer = ask(ctx, question)
    assert answer.kind is AnswerKind.ANSWER
    assert answer.title == reply
    assert sentence in shown(answer)


def test_whether_someone_was_something_is_said_of_them_not_beside_them(ctx):
    # "Stalin ... executed the revolutionary generation" names both; "He was an Old
    # Bolshevik", the sentence after the one naming Stalin, says it of him.
    answer = ask(ctx, "was stalin really an old bolshevik?")
    assert answer.title == "Yes"
    assert "He was an Old Bolshevik" in shown(answer)


def test_a_synonym_of_the_asked_verb_denied_answers_no(ctx):
    # "change" asked, "would not alter property relations" said.
    answer = ask(ctx, "would the revolution trotsky wanted against stalin change property "
                      "relations?")
    assert answer.title == "No"
    assert "would not alter property relations" in shown(answer)


@pytest.mark.parametrize(("question", "how", "sentence"), [
    # "with" and an adjective, not only "with a/the ...": said in the sentence before the one
    # that names Kronstadt.
    ("how did lenin and trotsky put down the kronstadt sailors?", "With characteristic brutality",
     "crushed the rebellion with characteristic brutality"),
    # "by" and a bare noun, the clause ending at the quotation's close.
    ("by what means did trotsky say the bureaucracy could be made to hand over power?",
     "Only by force", "only by force"),
    # "not with X, but with Y": Y is how.
    ("how did the bureaucracy defeat lenin's program?", "With its own social weight",
     "not with ideas and arguments, but with its own social weight"),
])
def test_the_manner_is_the_phrase_that_says_how(ctx, question, how, sentence):
    answer = ask(ctx, question)
    assert answer.kind is AnswerKind.ANSWER
    assert answer.title == how
    assert sentence in shown(answer)


def test_with_that_belongs_to_a_verb_is_not_the_manner(ctx):
    # "For dealing with peasant horders of food Lenin prescribed the gun": "with" is what
    # "dealing" takes, not how it was done.
    answer = ask(ctx, "how did lenin want grain speculators dealt with?")
    assert not answer.title.startswith("With peasant horders")


@pytest.mark.parametrize(("question", "how"), [
    # "in the manner of" says how.
    ("how did the soviet bureaucracy renew itself without property to pass on?",
     "in the manner of an administrative hierarchy"),
    # A phrase the texts never use ("keep tabs on") weighs what its synonym "control" does.
    ("how did the red army keep tabs on the former tsarist officers?",
     "Commissars were appointed"),
    # A how named right by the question's verb outweighs a sentence that names none.
    ("how did stalin think socialism would be achieved?", "through administrative measures"),
])
def test_a_how_is_found_by_its_marker_and_the_verbs_synonyms(ctx, question, how):
    answer = ask(ctx, question)
    assert answer.kind is AnswerKind.ANSWER
    assert how.casefold() in answer.title.casefold()


def test_with_and_a_gerund_is_what_someone_was_charged_with_not_how(ctx):
    answer = ask(ctx, "trotsky got sent to siberia after the 1906 trial, how did he get out "
                      "of there")
    assert "organizing" not in answer.title


def test_an_adjective_of_a_name_the_texts_use_is_that_name_not_a_typo(ctx):
    # "siberian" was read as a slip for "Serbian"; it is the texts' "Siberia".
    answer = ask(ctx, "how did trotsky get out of his siberian exile after 1906?")
    assert answer.kind is AnswerKind.ANSWER
    assert "escaped" in answer.title
    assert not any("Serbian" in f.value for f in answer.fields)


def test_got_rid_of_is_answered_by_an_execution(ctx):
    answer = ask(ctx, "how did stalin get rid of yagoda in the end?")
    assert "Yezhov" in answer.title
    assert "used his successor Nikolai Yezhov to execute Yagoda" in shown(answer)


def test_the_writer_of_a_text_is_asked_about_as_the_i_of_that_text(ctx):
    # "the guy who wrote the medium review" is the review's "I": "I am not a “Trotskyist,”
    # whatever that means."
    answer = ask(ctx, "so is whoever wrote the medium review a trotskyist himself?")
    assert answer.title == "No"
    assert "I am not a “Trotskyist,”" in shown(answer)


def test_what_was_used_for_the_deed_asked_about_is_the_how(ctx):
    # Stalin “used his wide powers of appointment to eliminate from important posts ...”:
    # the "to" clause holds the question's words, the thing used is the how.
    answer = ask(ctx, "how did stalin push trotsky's people out of the important jobs?")
    assert "powers of appointment" in answer.title


def test_with_and_a_name_is_a_partner_not_the_manner(ctx):
    # "to form a united front with the reformist SPD": whom with, not how.
    answer = ask(ctx, "how did trotsky think the german communists should fight hitler?")
    assert not answer.title.startswith("With the reformist SPD")


def test_an_inability_denies_the_whole_clause_it_opens(ctx):
    # "his supporters ... were unable to translate Trotsky's ideas into mass action": "unable"
    # stands 40 characters before "mass", and "followers" is answered by "supporters".
    answer = ask(ctx, "did trotsky's followers manage to build a mass movement in the 30s?")
    assert answer.title == "No"
    assert "were unable to translate Trotsky’s ideas into mass action" in shown(answer)


def test_the_us_is_america_and_not_the_pronoun(ctx):
    answer = ask(ctx, "would the americans let trotsky be buried in the US?")
    assert answer.title == "No"
    assert "The US State department would not even allow his body to be buried" in shown(answer)


def test_with_and_a_reflexive_is_not_the_manner(ctx):
    # "the state succeeded in overwhelming the old guard ... and replacing it with itself"
    answer = ask(ctx, "how did the party let all the levy people in")
    assert answer.title != "With itself"


def test_stand_by_is_to_support_not_to_stand(ctx):
    # "stand by them" was read as "stand" and said yes from "the working class stood faced
    # with the shadow of advancing famine"; the texts' answer is "it will not support us".
    answer = ask(ctx, "did the starving peasants think the army would stand by them")
    assert answer.title != "Yes", shown(answer)
    assert "stood faced with the shadow" not in shown(answer)
