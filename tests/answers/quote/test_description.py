"""/quote by description: what was said, in the member's words, finds the quotation."""

from __future__ import annotations

import pytest

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import AnswerKind
from bot.answers.quote.answer import quote
from tests.answer_helpers import build_context


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory, backend: str) -> AnswerContext:
    return build_context(tmp_path_factory.mktemp("quote-description") / "db.sqlite3",
                         backend=backend)


def test_a_misspelt_word_is_read_as_the_word_used_once_around_a_quotation(ctx) -> None:
    # "theaters" and "restaurants" occur once in the texts, in Trotsky's words on the NEP:
    # the plain-question vocabulary would read "theatres" as "threat".
    answer = quote(ctx, "Trotsky recalling how the NEP revived the theatres and resturants")
    assert answer.title == "Leon Trotsky"
    assert "revival of theaters, restaurants and entertainment establishments" in answer.body


def test_a_person_named_as_reporting_the_words_is_not_taken_for_their_speaker(ctx) -> None:
    # Reed's block: "… a rough workman … ‘I speak for the Petrograd proletariat,’ he said
    # harshly." The workman is not named; Reed is who reports him.
    answer = quote(ctx, "a rough workman speaking for the proletariat of Petrograd, as John "
                        "Reed recounts it")
    assert answer.body == "“I speak for the Petrograd proletariat,”"
    assert answer.title == "An unnamed source: “a rough workman”"


def test_words_quoted_inside_a_reporters_account_are_found_by_who_said_them(ctx) -> None:
    # Carr's block quotes the British Labour delegation: ‘the ragged and half-starved
    # condition’ of factory workers. The delegation is the source, not Carr.
    answer = quote(ctx, "what the British Labour delegation noticed about factory workers "
                        "in 1920")
    assert answer.body == "“the ragged and half-starved condition”"
    assert answer.title.startswith("An unnamed source: “The British Labour delegation")


def test_a_word_the_lexicon_knows_is_not_mended_into_another(ctx) -> None:
    # "forecasting" is not in the texts, but its synonym "prophesied" is ("Bakunin had
    # foreseen this in 1873 when he prophesied that Marx's followers would:"); mended, it
    # was "foremost".
    answer = quote(ctx, "Bakunin forecasting a new privileged class of Marxist scientists")
    assert "new privileged scientific and political class" in answer.body


def test_a_description_in_synonyms_of_the_lexicon_finds_the_words(ctx) -> None:
    # Sedova: "Lev Davidovich didn’t reply. There was nothing to say." (corpus/lexicon.yaml:
    # answer / reply); Trotsky's will: "My faith in the communist future of mankind is not
    # less ardent, indeed it is firmer today" (belief / faith, humanity / mankind).
    answer = quote(ctx, "Sedova saying Trotsky gave no answer as there was nothing to say")
    assert "Lev Davidovich didn’t reply" in answer.body
    answer = quote(ctx, "Trotsky's belief in the communist future of humanity growing stronger")
    assert "My faith in the communist future of mankind" in answer.body
    assert answer.title == "Leon Trotsky"


def test_both_halves_of_a_sentence_a_tag_splits_are_shown_together(ctx) -> None:
    # "“Our anxiety at seeing this degradation of the state …,” says Serge, “was, of
    # course, not emotional, it was intellectual.”"
    answer = quote(ctx, "Serge saying their anxiety about the bourgeoisification of Soviet "
                        "society was intellectual")
    assert answer.title == "Victor Serge"
    first, second = answer.body.split(" … ")
    assert first.startswith("“Our anxiety at seeing this degradation")
    assert second == "“was, of course, not emotional, it was intellectual.”"
    assert all("not emotional" not in item.body for item in answer.items)


def test_a_comparative_of_a_word_the_texts_use_is_no_typo() -> None:
    from bot.answers.ask.analysis import Vocabulary
    from bot.answers.quote.meaning import DescribedVocabulary

    documents = {"fast": 3, "master": 5, "rich": 4, "rather": 9, "big": 2, "tight": 1}
    vocabulary = DescribedVocabulary(100, documents, tuple(documents))
    for word in ("faster", "richer", "bigger", "tightly"):  # not "master", "rather" …
        assert vocabulary.correct(word) is None
    # ... nor, for plain questions, a word that differs from it in its first letter.
    assert Vocabulary(100, documents, tuple(documents)).correct("faster") is None


def test_a_witness_the_description_names_is_not_the_speaker(ctx) -> None:
    # Joffe's last letter: "with my own ears I have heard Lenin admit that in 1905 it was
    # not he, but you, who was right".
    answer = quote(ctx, "Joffe recalling that he heard Lenin concede Trotsky had been right "
                        "about 1905")
    assert answer.title == "Vladimir Lenin"
    assert "it was not he, but you, who was right" in answer.body


def test_a_person_the_words_are_about_or_aimed_at_is_not_read_as_the_speaker(ctx) -> None:
    from bot.answers.ask.analysis import analyse
    from bot.answers.ask.engine import vocabulary_of
    from bot.answers.quote.meaning import objects_named

    def objects(text: str) -> frozenset[str]:
        return objects_named(analyse(text, ctx.people, vocabulary_of(ctx), ctx.lexicon))

    assert objects("the things thrown at Trotsky while he spoke") == {"Leon Trotsky"}
    assert objects("Deutscher on Stalin humiliating Zinoviev") == {"Joseph Stalin"}
    assert objects("Trotsky on the NEP") == frozenset()
    # Named once as the speaker, once as the object: the speaker still.
    assert objects("Trotsky on what was said to Trotsky") == frozenset()


def test_halves_split_by_a_long_tag_inside_quotation_marks_are_shown_together(ctx) -> None:
    # "“’The chief shortcoming of the masses,’” Lenin “told the chairmen of provincial soviet
    # executive committees in July 1918, ‘is their timidity …’”": Lenin's one sentence.
    answer = quote(ctx, "what lenin told the provincial soviet chairmen was the masses' "
                        "biggest weakness")
    assert answer.title == "Vladimir Lenin"
    first, second = answer.body.split(" … ")
    assert "The chief shortcoming of the masses" in first
    assert second.startswith("“is their timidity")


def test_a_person_the_words_are_addressed_to_need_not_stand_near_them(ctx) -> None:
    # The verse to Stalin names him lines before the words quoted.
    answer = quote(ctx, "the verse message to Stalin calling him genius of geniuses and sun of "
                        "the workers")
    assert "genius of geniuses" in answer.body


def test_a_year_in_the_description_is_matched_against_the_words_around(ctx) -> None:
    # "“The present purge draws … a whole river of blood”, Trotsky wrote in 1936": the year
    # and blood / gore (corpus/lexicon.yaml) point at it.
    answer = quote(ctx, "trotsky in 1936 on the purge drawing a line of gore between "
                        "bolshevism and stalinism")
    assert "a whole river of blood" in answer.body
    assert answer.title == "Leon Trotsky"


def test_people_named_in_the_words_make_a_description_of_them(ctx) -> None:
    # Serge's list of suicides: "Sergei Yessenin, a lyrical poet, opened the funereal
    # series: … Mayakovsky, …, blew out his brains …" (note 144: Serge).
    answer = quote(ctx, "serge on the poets who took their own lives, from yessenin to "
                        "mayakovsky")
    assert "Sergei Yessenin, a lyrical poet, opened the funereal series" in answer.body
    assert answer.title == "Victor Serge"


def test_a_synonym_of_the_texts_word_for_a_persons_character(ctx) -> None:
    # "he is devoid of the most elementary honesty" (decency / honesty in the lexicon)
    answer = quote(ctx, "lenin confiding to his wife that stalin lacks the most basic decency")
    assert "devoid of the most elementary honesty" in answer.body
    assert answer.title == "Vladimir Lenin"


def test_a_phrase_marked_inside_a_paraphrase_is_not_taken_for_the_words(ctx) -> None:
    # "In January 1918 he “advocated ‘mass searches’ of all storehouses … and the shooting
    # on the spot of speculators …”" (note 38: Carr): Carr's paraphrase of what Lenin urged;
    # only ‘mass searches’ is Lenin's, and it is not what the description tells.
    answer = quote(ctx, "lenin in 1918 demanding that speculators hoarding grain be shot "
                        "on the spot")
    assert "the shooting on the spot of speculators" in answer.body
    assert answer.title == "E.H. Carr"


def test_a_commonly_named_person_and_one_word_do_not_make_a_match(ctx) -> None:
    # Goldman's "very small character" is not in these words; "petty" and Trotsky (named
    # around most quotations) alone must not pass for a description of "the petty bosses".
    answer = quote(ctx, "emma goldman calling trotsky a petty sort of person")
    assert "petty bosses" not in answer.body


def test_a_question_the_speaker_says_he_was_asked_is_the_askers_not_his(ctx) -> None:
    # Trotsky, April 1918: "I am asked further: ‘You call yourselves socialist Communists,
    # and yet you shoot and imprison your comrades, the anarchist Communists?’" The asker is
    # not named; Trotsky retells the question.
    answer = quote(ctx, "the question trotsky says he was asked in 1918 about communists "
                        "shooting and jailing anarchists")
    assert answer.body.startswith("“You call yourselves socialist Communists")
    assert answer.title.startswith("An unnamed source")


def test_a_members_word_for_fear_or_a_warning_finds_the_texts_word(ctx) -> None:
    # "afraid" is no word of the texts and was mended into "affair"; Dawsey writes "he
    # feared that “… terrorist revenge”" and "Trotsky cautioned that “the program of the new
    # revolution depends …”" (corpus/lexicon.yaml: fear / afraid, warn / caution,
    # depend / hang on, revenge / get even).
    answer = quote(ctx, "trotsky afraid that rash and embittered young people in the soviet "
                        "union were thinking of killing officials to get even")
    assert "in the direction of terrorist revenge" in answer.body
    assert answer.title == "Leon Trotsky"
    answer = quote(ctx, "trotsky warning that what the uprising against the bureaucracy would "
                        "aim for hangs on when it comes, how far the country has got and the "
                        "world situation")
    assert "the program of the new revolution depends" in answer.body


def test_words_a_quotation_says_itself_are_its_not_its_neighbours(ctx) -> None:
    # Deutscher: "Men, women, and children gorged themselves, vomited, …" is the paragraph
    # after Trotsky's "Collectivization appeared to the peasant …", so Trotsky's quotation
    # held "gorged" and "vomited" in its sentence after and ranked first.
    answer = quote(ctx, "villagers gorging and vomiting on their slaughtered livestock before "
                        "the collectivizers came")
    assert "gorged themselves, vomited" in answer.body
    assert answer.title == "Isaac Deutscher"


def test_unowned_words_inside_another_persons_account_are_shown_not_the_account(ctx) -> None:
    # Trotsky's block in the Medium review: "It defeated the program of Lenin, who had seen
    # the chief danger in the conversion of the organs of the state “from servants of
    # society to lords over society.”" Nothing names Lenin as saying the inner words ("who
    # had seen"), but the description names him, not Trotsky: the inner words are shown,
    # unattributed, rather than Trotsky's account as if Lenin's.
    answer = quote(ctx, "the danger lenin saw of state bodies turning from serving society to "
                        "ruling it, in the revolution betrayed passage")
    assert answer.body == "“from servants of society to lords over society.”"
    assert answer.title != "Leon Trotsky"


def test_of_two_sayings_inside_an_account_the_one_nearest_the_description(ctx) -> None:
    # Sedova's account holds two sayings of Pyatakov's: "He was silent, pale, … Wiping the
    # sweat from his forehead, he said “Well I was at the front …”" and, further on, the
    # longer ‘Why did you say that to him (Stalin). …’.
    answer = quote(ctx, "pyatakov coming back pale from the politburo and saying not even the "
                        "war had shown him anything like it")
    assert answer.body == "“Well I was at the front and I’ve never seen anything like that!”"
    assert answer.title == "Georgy Pyatakov"
    answer = quote(ctx, "pyatakov asking trotsky why he had said that to stalin and warning "
                        "him stalin would take it out on his children")
    assert "What has got into your tongue?" in answer.body


def test_things_thrown_are_the_texts_things_flung(ctx) -> None:
    # Serge: "inkpots, heavy volumes, and a glass were flung at Trotsky’s head while he
    # spoke" (corpus/lexicon.yaml: throw / fling); "thrown" alone read only as expelled.
    answer = quote(ctx, "the things thrown at trotsky while he spoke at the meeting that "
                        "expelled him")
    assert "inkpots, heavy volumes, and a glass were flung at Trotsky’s head" in answer.body
    assert answer.title == "Victor Serge"


def test_a_witness_recalling_someone_saying_gives_the_one_who_said_it(ctx) -> None:
    # "“Lenin died on January 21, 1924, haunted by this anxiety,” Serge continues. ‘Is not
    # the helm escaping from our hands?’ he asked.": Serge recalls, Lenin asked.
    answer = quote(ctx, "Serge recalling Lenin, before he died, asking whether the helm was "
                        "slipping from their hands")
    assert answer.title == "Vladimir Lenin"
    assert "Is not the helm escaping from our hands?" in answer.body
    # Recalling what someone did, not said: the witness's own words.
    answer = quote(ctx, "Sedova remembering Pyatakov pouring himself two glasses of water "
                        "after the Politburo")
    assert answer.title == "Natalia Sedova"


def test_words_the_description_holds_with_their_introduction_are_the_speakers(ctx) -> None:
    # Hansen's block: "Victor Kravchenko, a former high Stalinist official who survived the
    # purges and escaped abroad, reports … that the victims numbered as many as ‘nine or ten
    # million, …’": all the description holds is that sentence, so Kravchenko's words.
    answer = quote(ctx, "the Stalinist official who escaped abroad putting the purge victims "
                        "at nine or ten million")
    assert answer.title == "Victor Kravchenko"
    assert answer.body.startswith("“nine or ten million")
    # The account of the person named first stays theirs: Joffe's letter, not the words of
    # Lenin's it reports.
    answer = quote(ctx, "Joffe telling Trotsky he had too often given up being right for "
                        "the sake of an agreement")
    assert answer.title == "Adolph Joffe"


def test_words_said_to_be_a_persons_own_are_not_someone_elses_naming_them(ctx) -> None:
    # The texts quote no letter of Bukharin's; Trotsky's list of 1937 names him ("The former
    # editor of Pravda, Bukharin, is arrested"), which is not his letter.
    answer = quote(ctx, "Bukharin's farewell letter to the party, written before his arrest")
    assert answer.kind is AnswerKind.NOT_FOUND
    # Lenin's own phrase for the NEP, not Trotsky's words about Lenin and the NEP.
    answer = quote(ctx, "Lenin's phrase for the NEP: a step backwards now to go forward later")
    assert answer.title == "Vladimir Lenin"
    assert "one step back" in answer.body or "two steps forward" in answer.body


def test_with_nobody_named_an_unnamed_sources_words_inside_an_account_are_shown(ctx) -> None:
    # Reed's block holds the rough workman's "‘We are in favor of insurrection. … if you
    # allow the Soviets to be destroyed, we’re through with you!’": not Reed's words.
    answer = quote(ctx, "the angry workman telling the leaders the workers favoured "
                        "insurrection and would break with them if the Soviets were destroyed")
    assert answer.title == "An unnamed source: “a rough workman”"
    assert "we’re through with you!" in answer.body
    # Described by the account's own words, the account stays Reed's.
    answer = quote(ctx, "Reed on the all-night meeting where only Lenin and Trotsky stood "
                        "for insurrection")
    assert answer.title == "John Reed"


def test_the_start_of_someones_speech_in_anothers_record_is_their_first_saying(ctx) -> None:
    # Serge's record: “Trotsky: ‘Through the present apparatus, …’ (The noise increases …)
    # ‘of the upstart bureaucrats …’”: "of Trotsky's speech" names whose the words are, not
    # what they are about, and "the start" is the first of them.
    answer = quote(ctx, "the start of trotskys speech to the central committee in serges "
                        "record, before the shouting")
    assert answer.title == "Leon Trotsky"
    assert answer.body.startswith("“Through the present apparatus, through the present regime")



# A description in the member's words, found through the lexicon (corpus/lexicon.yaml) or
# with a word of theirs that is no content word: (description, speaker, words shown).
IN_OTHER_WORDS = [
    pytest.param("deutscher describing collectivisation as a war on the countryside fought in "
                 "nearly every village", "Isaac Deutscher",
                 "Almost every village became a battlefield in a class war", id="nearly/almost"),
    pytest.param("zinoviev saying the opposition should stay in the party even lying face down "
                 "in the dirt", "Grigory Zinoviev", "flat on our belly in the mud",
                 id="stay/remain, dirt/mud"),
    pytest.param("serge on the nep years: bars serving drink into the small hours, betting and "
                 "boozing back in the middle of the big towns", "Victor Serge",
                 "Saloons were open until three o’clock in the morning", id="bars/saloons"),
    # "cant" was the description's rarest word and weighed most; the ruling group are leaders
    pytest.param("deutscher conceding you cant just put it all on the leaders or the officials",
                 "Isaac Deutscher",
                 "It was not enough to blame the ruling group or the bureaucracy",
                 id="cant is no content word"),
    pytest.param("lenin in state and revolution on capping what technical staff and party "
                 "functionaries get paid", "Vladimir Lenin",
                 "technicians, managers, and bookkeepers, as well as all /Party/ officials",
                 id="technical staff/technicians"),
]


@pytest.mark.parametrize(("description", "speaker", "words"), IN_OTHER_WORDS)
def test_a_description_in_other_words_finds_the_quotation(ctx, description, speaker,
                                                          words) -> None:
    answer = quote(ctx, description)
    assert answer.title == speaker
    assert words in answer.body


def test_doubts_about_handling_piled_up_power_with_care_are_the_testaments(ctx) -> None:
    # "has concentrated enormous power in his hands, and I am not sure that he always knows
    # how to use that power with sufficient caution": not sure / doubt, use / handle,
    # concentrated / piled up, caution / care, sufficient / enough.
    answer = quote(ctx, "lenin unsure stalin would wield the power he had amassed carefully "
                        "enough")
    assert answer.title == "Vladimir Lenin"
    assert "use that power with sufficient caution" in answer.body


@pytest.mark.parametrize(("description", "words"), [
    # household / family, rules / laws, ending a pregnancy / abortion, splitting up /
    # divorce, brothels / houses of prostitution
    ("trotsky picturing a socialist household where rules on ending a pregnancy or on "
     "splitting up seem as old-fashioned as brothels",
     "the very idea of laws about abortion and divorce will sound no better"),
    # pass on / transmit, children / heirs, misusing / abuse
    ("trotsky saying a soviet official cannot pass his job on to his children, his perks "
     "coming from misusing his office", "cannot transmit to his heirs his rights"),
])
def test_trotskys_words_described_in_a_members_everyday_words(ctx, description, words) -> None:
    answer = quote(ctx, description)
    assert answer.title == "Leon Trotsky"
    assert words in answer.body


def test_an_unnamed_workers_letter_found_by_what_went_up_and_by_how_much(ctx) -> None:
    # "‘Twenty-five percent increase in the productivity of labor and 1.9 percent increase
    # in wages.’": output / productivity, gone up / increase, a quarter / twenty-five percent.
    answer = quote(ctx, "a worker telling serge output went up by a quarter but his pay "
                        "barely rose")
    assert "Twenty-five percent increase in the productivity of labor" in answer.body
    assert answer.title != "Victor Serge"  # the worker is not named: not Serge's own words


def test_being_scared_is_trembling(ctx) -> None:
    # "he ... thought Leon Blum and other figures ... “must be trembling before the advancing
    # revolution.”": the words of that thought come before the 'birth pangs' of the sentence.
    answer = quote(ctx, "trotsky telling serge that blum and his ministers were scared of the "
                        "rising strikes")
    assert answer.title == "Leon Trotsky"
    assert "must be trembling before the advancing revolution" in answer.body
