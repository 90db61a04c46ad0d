"""Attribution: which configured actor a sentence says carried out the attack, how the report holds it, and who says so.

An actor mention is a perpetrator claim only when it is tied to the violence: the actor's weapon or force follows it
("Russian air strikes", "regime shelling"), it is the subject of an attack verb ("IS claimed responsibility",
"coalition jets struck", "the Front, an armed group, has claimed ..."), the attack is done by it ("killed by regime
barrel bombs", "claimed by the Front", "the blame falls on the RSF"), it denies it ("Hezbollah denied any
involvement"), or it is a party to the fighting ("clashes between Faylaq al-Rahman and ..."). A bare mention ("Russia
brokered a truce") is not a claim, nor is an actor named as the victim ("a Russian helicopter had been shot down"), as
the victims' or the place's nationality ("Ukrainian prisoners of war killed", "Russian prison shelling", "in Kerman,
Iran"), as the speaker of a toll ("Hamas says at least 40 killed", "the Hamas-run health ministry said"), as the parent
of the affiliate that acted ("Qaeda-linked JNIM", "a splinter group of the TTP"), as the holder of ground ("taken over
by the Syrian army"), as the author of an earlier attack that dates this one ("days after a deadly Assad regime
chemical attack"), or counted among the dead ("4 Turkish Troopers Killed"). A common-word alias inside a longer proper
name ("Army" in "the Kachin Independence Army said") names no one. A generic attacker (an actor whose name and aliases
are all lowercase common words: "the gunman", "the shooter") is the attacker whatever the sentence does to him.

Each hit carries:
- stance: "asserted" (the report's own voice states it), "claimed" (the actor says it did it: "claimed
  responsibility", "says it carried out", "claimed by X", or an actor's own statement of its deed), "accused" (someone
  blames it, or a cited party states it: "Moscow said Ukrainian air defence caused it"), "denied" (the actor denies it,
  however the news phrases it: "on Monday denied responsibility", "disputes Israel's claim", "issued a rare denial",
  "a charge the Front denied", "our forces do not strike homes", "no indication the strike was carried out by X"; or
  gives its counter-narrative set against the accusation: "but said it only targeted army positions", "said those
  killed were militants", "used villagers as human shields": cue "counter"). A stock denial of the war's coverage
  ("denies targeting civilians", "has repeatedly denied") is no answer to the attack and gives no hit;
- speaker: who makes the claim. None for the report's own voice; an actor id where the speaker is a configured actor
  ("russia" for "Moscow said ..."; the actor itself for "claimed" and "denied"); else the speaker's words, lowercased
  ("police", "health ministry", "syrian observatory for human rights").
"Israel and Hezbollah blamed each other" gives two "accused" hits, each with the other as speaker (cue "mutual").
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache

from accord.claims.actors import affiliate_branches
from accord.claims.prefilter import Guard, lowered, prefix_pattern
from accord.claims.sentences import cited_source
from accord.domain import gazetteer
from accord.models import Actor
from accord.patterns import CLASH_BETWEEN, generic_attacker_id, trie_pattern

_WEAPON = (
    r"(?:air\s*-?\s*strikes?|airstrikes?|air raids?|raids?|shelling|shells?|bombing|bombings|bombardment|"
    # a transport or passenger plane is what was hit, not a weapon ("a Russian Il-76 transport plane that crashed")
    r"bombs?|barrel bombs?|warplanes?|war planes?|jets?|"
    r"(?<!transport )(?<!passenger )(?<!cargo )(?<!commercial )(?<!civilian )(?:aircraft|planes?)|"
    r"helicopters?|gunships?|artillery|"
    r"missiles?|rockets?|attacks?|offensive|assault|fire|gunfire|snipers?|drones?|mortars?|suicide bombers?|"
    r"car bombs?|strikes?|aviation|air force|bombers|tanks|massacre|siege|ambush|onslaught|"
    r"chemical (?:attack|weapons?)|gas attack|cluster (?:bombs?|munitions)|counter-?offensive|operations?|"
    r"advance|incursion|onslaught|IEDs?|improvised explosive devices?|landmines?|blasts?|"
    # the word of the attacked side's officials and media: "the Israeli enemy's pager aggression", "Indian aggression"
    r"aggression)"
)
# What a party claims another did, a clause of its own ("claim a US air strike killed 68", "claims that Israeli strikes
# hit the camp"): the claim is the party's saying, not its deed. Its own deed stays a claim ("claimed the attack killed
# 50 soldiers", "claims its fighters killed 20"); a relative clause ("claimed the attack that killed 20") or a comma
# ends the claimed noun phrase first.
_CLAIMED_CLAUSE = (
    r"\s+(?:that\s+)?(?!(?:its|their|our|his|her|it|they|we|responsibility|credit)\b)"
    r"(?!(?:the|an?|this|that|these|those)\s+(?:[\w-]+\s+){0,2}?(?:attacks?|bombings?|assaults?|raids?|operations?|"
    r"ambush|blasts?|explosions?|shootings?|massacre|killings?|siege)\b)"
    r"(?:(?!(?:that|which|who|in|on|for|after|as|when)\b)[\w’'-]+\s+){1,5}?"
    r"(?:killed|hit|struck|wounded|injured|left|targeted|destroyed|caused)\b"
)
_VERB = (
    r"(?:kill|destroy|destroyed|destroys|eliminated|overran|overrun|bombed|bombs|bombing|shelled|shells|shelling|struck|strikes|hit|hits|attacked|attacks|attacking|"
    r"targeted|targets|targeting|killed|kills|killing|executed|executing|massacred|shot|"
    # crowd control is no attack: "police fired tear gas to disperse mourners"
    r"(?:fired|fires|firing)(?!\s+(?:tear\s*gas|rubber|plastic|water\s+cannon|warning\s+shots|stun|pepper|flares?)\b)|"
    r"launched|launches|launching|(?:carried out|carries out|carrying out)(?!\s+(?:an?\s+|the\s+|its\s+)?(?:routine\s+)?"
    r"(?:reconnaissance|patrols?|search|security|rescue|humanitarian|clearance|surveillance|combing|inspection)\b)|"
    r"dropped|drops|dropping|pounded|pounds|"
    r"pounding|stormed|detonated|blew up|raided|bombarded|bombarding|opened fire|behead|beheaded|beheads|beheading|"
    r"neutrali[sz]ed|"
    # "the Houthis claim a US air strike killed 68": a clause claimed is said (_CLAIMED_CLAUSE), not a deed claimed
    rf"claim(?:ed|s)?(?!{_CLAIMED_CLAUSE})(?=\s+(?:responsibility|credit|the|an?|its|twin|double|deadly|suicide|attacks?|bombings?|"
    # a headline's "claims Pakistan political rally bombing"
    r"(?:[\w’'-]+\s+){1,3}?(?:attacks?|bombings?|blasts?|explosions?|shootings?|massacre|assault|raid|ambush|"
    r"killings?|siege)\b))|"
    # downing an aircraft is an attack, downing drones or missiles is air defence ("said it shot down 20 drones")
    r"committed(?!\s+to\b)|(?:downs|downed|shot down|shoots down)"
    r"(?!(?:\s+(?:[\w-]+\s+){0,5}?)(?:drones?|missiles?|rockets?|projectiles?|UAVs?|Shaheds?)\b)|"
    r"violating|violated|violates|"
    r"used|struck|ambushed|besieged|seized|blew|set off|perpetrated|waged|conducted|responsible|"
    r"torch(?:es|ed|ing)?|set fire to|sets fire to|setting fire to|burn(?:s|ed|t|ing)?|"
    r"(?:plowed|ploughed|drove|rammed|slammed|crashed)(?:\s+(?:a|an|his|her|their|the)\s+(?:\w+\s+)?(?:car|vehicle|truck|"
    r"lorry|van|SUV))?\s+into\s+(?:a\s+|the\s+)?(?:crowd|crowds|people|pedestrians|shoppers|market|marketgoers|"
    r"worshippers|revellers|festival|parade|protesters)|rammed|stabbed|knifed|"
    r"behead(?:s|ed|ing)|crucif(?:y|ies|ied|ying)|overran|overruns|caused|causing|invaded|invades|"
    r"(?:was|were|is|are)\s+(?:(?:most|more|\w+ly)\s+){0,2}behind)"  # "were most likely behind"
)
# "points to" a party, "attributed the attack to" it: blaming words of _BY, _ACCUSED and _BLAME_VERB (and of the
# extractor's counted claims)
POINTS_TO = r"points? to|pointed to|pointing to"
ATTRIBUTED_TO = (
    r"(?:attribut(?:e|ed|es|ing)|link(?:ed|s|ing)?) (?:the |this )?(?:[\w-]+ ){0,2}?"  # headlines: "link attack to"
    r"(?:attack|bombing|blast|explosion|massacre|killings?|strike|raid|ambush|assault|shelling) to|"
    # the passive, of the attack: "the attack was attributed to", "..., attributed to elements of the 3R"
    r"(?:(?:was|were|is|are|been|being)\s+(?:widely\s+|largely\s+|initially\s+)?|,\s+)attributed to|"
    # ... and its participle: "64 people were killed in the attack attributed to ADF rebels"
    r"(?:attack|bombing|blast|explosion|massacre|killings?|strike|raid|ambush|assault|shelling)\s+"
    r"(?:widely\s+|largely\s+)?attributed to"
)
# The attack read as an actor's by its manner: "bore the hallmarks of", "had all the marks of", "appeared to be the work
# of" (an attribution by whoever says so, with no claim)
HALLMARKS_OF = (
    r"(?:(?:bore|bears?|had|has|have|carried|carries|showed|shows)\s+(?:all\s+)?(?:the\s+)?(?:hallmarks?|signature|"
    r"marks|trademarks?)|(?:bore|bears?|had|has|have)\s+(?:all\s+)?the\s+signs|(?:appeared|appears|seemed|seems|"
    r"believed|thought|suspected|likely|probably|was|is)\s+(?:to\s+(?:be|have\s+been)\s+)?the\s+work) of"
)
# A group's men, before its name: "a cell of the", "members of the rival"
_UNIT_OF = (
    r"(?:the\s+|an?\s+)?(?:[\w-]+\s+)?(?:cells?|columns?|units?|factions?|wings?|branch|elements|members|fighters|"
    r"militants|insurgents|rebels|gunmen|men|squads?|commandos?|splinter groups?|jihadists|terrorists|bandits|"
    # its arms: "carried out by aircraft of the SSPDF"
    r"aircraft|warplanes|jets|drones|helicopters|gunships|artillery)\s+(?:of|from)\s+(?:the\s+)?"
    r"(?:(?:rival|so-called|narco-?terrorist|terrorist|armed|jihadist|outlawed|banned)\s+)?"
    r"(?:(?:organi[sz]ation|group|movement|militia|outfit|gang)\s+)?"
)
_BY = re.compile(
    rf"(?:\b(?:{_VERB}|{_WEAPON}|crimes?|killed|caused|carried out|launched|conducted|dropped|fired|left behind|"
    r"ordered|orchestrated|masterminded|"
    rf"planted|laid|placed|booby-trapped|claimed)[\s\"”’']+"
    r"(?:[\w’'-]+\s+){0,2}?(?:by|from)|"
    # messages left at the scene: "banners left at the scene were signed by the cartel"
    r"\b(?:banners?|messages?|notes?|narco-?(?:messages?|banners?)|placards?|leaflets?)\s+(?:[\w’'-]+\s+){0,6}?"
    r"signed\s+by|"
    # the deed as a noun, its victims between: "the killing of three young men by security forces"
    r"\b(?:killings?|murders?|massacre|shooting|assassinations?|executions?)\s+of\s+(?:[\w’'-]+\s+){1,4}?by|"
    # "blamed the attack on the Taliban", "blames the deadly bombing on"
    r"\bblam(?:ed|es|ing)\s+(?:[\w’'-]+\s+){1,4}?on|"
    r"\b(?:blamed on|blaming|blamed|accused|accusing|accuses|blames|"
    rf"{POINTS_TO}|"
    r"blame (?:falls|fell|lies|lay|rests|rested) (?:on|with)|"
    r"responsibility (?:for (?:[\w’'-]+\s+){0,4}?)?(?:lies|lay|rests|rested) (?:on|with)|"
    rf"held responsible|responsibility (?:of|on)|{ATTRIBUTED_TO}|{HALLMARKS_OF}|"
    r"(?:clash(?:es)?|fighting|battles?|confrontations?) (?:with|against)|"
    r"(?:clash(?:es)?|fighting|fights?|battles?|confrontations?|shelling|exchanges? of fire)\s+(?:[\w’'-]+\s+){0,3}?between|"
    r"(?:clash(?:es)?|fighting|battles?|confrontations?)\s+(?:\w+\s+){0,3}?(?:erupted|broke out) between|pitted))"
    # the actor right after the cue ("by the RSF", "by Russian jets"), or after an appositive that names it ("carried
    # out by a 28-year-old local man, John Doe")
    rf"\s+(?:{_UNIT_OF}|the\s+|a\s+|an\s+)?(?:(?:[\w’'-]+\s+){{0,2}}|(?:[\w’'-]+\s+){{0,3}}[\w’'-]+,\s+)"
    # ... or its name in quotes, as officials' words: 'carried out by "OLF-Shene"'
    r"[\"“‘']?$",
    re.IGNORECASE,
)
# The agent of a passive after where and when it happened: "were killed on Tuesday in Bessi, a locality in Batibo
# Subdivision, by armed secessionist terrorists"
_LATE_BY = re.compile(
    r"\b(?:were|was|been|being)\s+(?:shot\s+dead|killed|shot|attacked|massacred|wounded|abducted|kidnapped|ambushed|"
    r"executed|beheaded|hacked\s+to\s+death)\b[^;:\"“”()]{0,200},\s+(?:allegedly\s+|reportedly\s+|apparently\s+)?by\s+"
    r"(?:the\s+|an?\s+)?(?:[\w’'-]+\s+){0,2}$",
    re.IGNORECASE,
)
# "from" before an actor whose own place or sensor follows is where, not by whom: "the rocket went missing from South
# Korean military radar", "the drone entered from Belarusian airspace" (a territory may be the attacker's: kept)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_WHERE_AFTER = re.compile(r"^[\s’'-]*(?:s\s+)?(?:radars?|screens?|airspace|waters)\b")
# The second side of a clash: "clashes between pro-regime forces and rebels" names both as parties to the fighting.
_CLASH_SECOND = re.compile(CLASH_BETWEEN + r"\s+(?:[\w’'()-]+\s+){1,8}?and\s+(?:the\s+)?$", re.IGNORECASE)
# A weapon of the actor's, in the words after it ("Russian jets", "Syria's air force"), not past a word of blame or
# speech ("the PMF blamed a drone": its accusation, not its drone)
_ARM_AFTER = (
    rf"^(?:[\s’'-]*s)?(?:[\s-]+(?!(?:blam|accus|attribut|condemn|denounc|said\b|says\b|deni|den(?:y|ies)\b|believ|"
    rf"suspect|think|thought\b)[\w’'-]*)(?:[\w’'-]+)){{0,3}}?"
    rf"[\s-]+{_WEAPON}"
)
_AFTER_WEAPON = re.compile(rf"{_ARM_AFTER}\b", re.IGNORECASE)
# The actor's arm as the one speaking ("Ukraine's air force said it shot down 20 drones"): a speaker, not a weapon used
_WEAPON_SAYS = re.compile(rf"{_ARM_AFTER}\s+(?:said|says|say|reported|reports|announced|stated|told)\b", re.IGNORECASE)
_CLAIMS_HEAD = r"\s*,?\s+(?:(?:has|have|had|also|later)\s+)?claim(?:ed|s)?"
_CLAIMS_NEXT = re.compile(rf"^{_CLAIMS_HEAD}\b", re.IGNORECASE)
# matched at the actor's end in the whole sentence (its cue words stop at the next actor)
_CLAIMS_CLAUSE_NEXT = re.compile(rf"{_CLAIMS_HEAD}{_CLAIMED_CLAUSE}", re.IGNORECASE)
_ALIAS_WEAPON = re.compile(rf"\b{_WEAPON}$", re.IGNORECASE)  # "Russian aircraft", "barrel bombs"
_AFTER_VERB = re.compile(
    rf"^(?:\s*\([^()]{{0,40}}\)|\))?(?:\s+[\"“]?(?!no\b|not\b|never\b|nobody\b|said\b|says\b|say\b|told\b|saying\b|stated\b|reported\b|added\b|announced\b|confirm\w*|according\b|as\b|that\b|claim\b|claims\b|claimed\b|after\b|following\b|mourn\w*|attribut\w*|blam\w*|accus\w*)[\w’'-]+){{0,5}}?\s+[\"“]?(?:has\s+|have\s+|had\s+|was\s+|were\s+)?"
    rf"(?P<verb>{_VERB})\b",
    re.IGNORECASE,
)
# ... in the passive, the actor's men are its victims: "soldiers of the 94th Battalion who were killed in an ambush"
_PASSIVE_AUX = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_ACTIVE_AFTER_AUX = re.compile(r"responsible|behind|(?:was|were|is|are)\b", re.IGNORECASE)


# The actor behind the deed, as headlines write it without a verb ("Police say gang behind market shooting")
_BEHIND_DEED = re.compile(
    r"^['’\"”]?\s+(?:(?:was|were|is|are|likely|probably|allegedly|suspected|had|have|has)\s+)*"
    r"(?:behind|(?:directly\s+)?(?:connected|tied)\s+to|(?:an?\s+)?(?:direct\s+)?(?:connection|hand)\s+(?:to|in))"
    r"\s+(?:the\s+|an?\s+|this\s+)?(?:[\w’'-]+\s+){0,4}?(?:attacks?|shootings?|killings?|ambush|massacre|bombings?|blasts?|explosions?|murders?|"
    r"raids?|assassinations?)\b",
    re.IGNORECASE,
)


# Named as the doer, right after its name: "the military is looking at the Maute group as the perpetrators of the
# bombing" (not "the military earlier tagged as the likely perpetrator": who names the doer)
_NAMED_AS_DOER = re.compile(
    r"^(?:\s+(?:group|organi[sz]ation|movement|network|militants|fighters|members|cell|remnants))?\s+as\s+the\s+"
    r"(?:(?:most\s+)?(?:likely|possible|probable|prime|main|suspected|alleged|real)\s+)?"
    r"(?:perpetrators?|culprits?|masterminds?)\b",
    re.IGNORECASE,
)


# The group's men killed in their own attack: "five al-Shabaab militants were killed when they attacked Camp Simba"
_KILLED_ATTACKING_AFTER = re.compile(
    r"^(?:\s+[\w’'-]+){0,2}?\s+(?:were|was|had\s+been|have\s+been)\s+killed\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?:when|as|after|while)\s+(?:they|he)\s+(?:attacked|stormed|raided|assaulted|(?:tried|attempted)\s+to\s+"
    r"(?:attack|storm|overrun|raid))\b",
    re.IGNORECASE,
)
# Named the suspect: "Islamic State's Sinai branch, which has killed hundreds of police, is the main suspect"
_SUSPECT_AFTER = re.compile(
    r"^(?:[’']s\s+(?:[\w-]+\s+){0,2}?(?:branch|affiliate|wing|province|franchise))?(?:,\s*(?:which|who)\s[^,;.]{0,140},)?"
    r"\s+(?:is|was|are|were|remains?|remained)\s+(?:(?:still|now)\s+)?(?:the\s+)?"
    r"(?:(?:most\s+)?(?:likely|main|prime|chief|principal|top|primary|leading|obvious)\s+)?"
    r"(?:suspects?|culprits?|perpetrators?)\b",
    re.IGNORECASE,
)


def _active_verb_after(after: str) -> bool:
    """Whether `after` (the words following an actor) starts with an attack verb of the actor's (_AFTER_VERB), in
    the active voice."""
    m = _AFTER_VERB.match(after)
    if m is None:
        return False
    verb_at = m.start("verb")
    return not _PASSIVE_AUX.search(after, 0, verb_at) or bool(_ACTIVE_AFTER_AUX.match(m.group("verb")))


# Another party's claim about the actor: "Houthi claims of Saudi shelling", "allegations of Russian strikes"
_CLAIMS_OF = r"(?:claims?|allegations?|accusations?|charges?)\s+(?:of|that)\s+(?:the\s+|an?\s+)?"
_CLAIMS_OF_BEFORE = re.compile(rf"\b{_CLAIMS_OF}$", re.IGNORECASE)
_CLAIMS_BETWEEN = re.compile(rf"\s+{_CLAIMS_OF}", re.IGNORECASE)  # "Houthi| claims of |Saudi shelling": whose claim
_OF_GROUP = re.compile(
    r"\s+(?:of|from)\s+(?:the\s+)?(?:so-called\s+|self-styled\s+|self-proclaimed\s+)?", re.IGNORECASE
)
# The actor defends against the attack: "the army repels a terrorist attack", "troops foiled an assault"
_DEFENDS_AFTER = re.compile(
    r"^(?:[\s’'-]*s)?(?:\s+(?:[\w’'-]+)){0,4}?\s+(?:repel\w*|repuls\w*|foil(?:s|ed)?|thwart\w*|fend(?:s|ed)? off|"
    r"fought off|fights? off|beat back|beats back|came under|comes under|coming under|"
    # ... or hunts the attackers afterwards: "security forces launched an operation to track down the perpetrators"
    # ... "large police operation under way" after the shooting
    r"(?:operation|manhunt|search|hunt)\s+(?:(?:to|for)\s+(?:find|catch|arrest|locate|track(?:\s+down)?|the)\s+"
    r"(?:[\w’'-]+\s+){0,2}?)?(?:is\s+|was\s+)?(?:under\s*way|ongoing|in progress)|"
    r"(?:launched|launches|began|mounted|deployed|started|opened|opens)\s+(?:an?\s+)?(?:[\w-]+\s+)?"
    r"(?:operation|manhunt|search|hunt|investigation|probe|inquiry)"
    r"\s+(?:to\s+(?:track|hunt|find|identify|arrest|catch|pursue|apprehend)|into|"
    r"for\s+the\s+(?:attackers|perpetrators|assailants|gunmen))|"
    # ... or arrests them: "police arrested several suspects"
    r"(?:arrested|arrests|detained|detains|apprehended)\s+(?:[\w-]+\s+){0,3}?(?:suspects?|attackers?|gunm[ae]n|"
    r"assailants?|perpetrators?|people|men|members|militants)|"
    # ... or kills or holds the attacker the words then describe: "security forces shot dead a soldier who went on a
    # shooting rampage"
    r"(?:shot dead|shot and killed|killed|gunned down|neutrali[sz]ed|arrested|captured|detained)\s+(?:an?|the)\s+"
    r"(?:[\w’'-]+\s+){0,3}?(?:who|after (?:he|she))\s+(?:had\s+)?(?:went on|gone on|opened fire|killed|shot|stabbed|"
    r"attacked|rampaged)|"
    # ... or gives chase: "security forces chased the attackers and killed four of them"
    r"(?:chased|chases|pursued|pursues|intercepted|engaged)\s+(?:the\s+)?(?:fleeing\s+)?(?:suspects?|attackers?|"
    r"gunm[ae]n|assailants?|perpetrators?))\b",
    re.IGNORECASE,
)
# The actor ends a siege or a hostage-taking (whoever died in it): "the army ended the siege of the train, killing all
# 33 attackers" (not a raid to free hostages: "Israel rescues four hostages in a raid that killed 210" is its deed)
_ENDS_SIEGE_AFTER = re.compile(
    r"^(?:[\s’'-]*s)?(?:\s+(?:[\w’'-]+)){0,2}?\s+(?:end(?:s|ed|ing)?|broke|breaks|lift(?:s|ed)?|clear(?:s|ed)?)\s+"
    r"(?:the\s+|an?\s+)?(?:[\w’'-]+\s+){0,2}?(?:siege|standoff|stand-off|hijacking|hostage[\s-](?:crisis|situation|taking))",
    re.IGNORECASE,
)
# ... or came in after it: "the Frontier Corps, the Pakistan Army and the police, launched an operation immediately after
# the attack and cleared the college", "the police and the army intervened and the operation ended"
_RESPONDED_AFTER = re.compile(
    r"^(?:[\s’'-]*s)?(?:\s+[\w’'.-]+){0,4}?,?\s+(?:(?:launched|mounted|began|started|conducted)\s+(?:an?\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:operation|search|manhunt|sweep|pursuit)\s+(?:\w+ly\s+|soon\s+|shortly\s+)?after\s+"
    r"(?:the|this)\s+(?:attack|assault|raid|bombing|blast|shooting|massacre)|intervened|cordoned\s+off|"
    r"rushed\s+to\s+the\s+scene|arrived\s+(?:at|on)\s+the\s+scene|responded\s+to\s+the\s+(?:attack|assault|raid|shooting)|"
    # "the Defence and Security Forces (FDS) are continuing operations to restore order", "in pursuit of the attackers"
    r"(?:are\s+|is\s+|were\s+)?continu\w+\s+(?:(?:their\s+|its\s+)?operations|to\s+pursue|the\s+pursuit|to\s+hunt)|"
    r"pursu(?:e|ed|ing)\s+the\s+(?:attackers|assailants|terrorists|gunmen|militants))\b",
    re.IGNORECASE,
)
# ... or stormed the place to end it, after the attackers' deed: "taking 170 hostage and killing 27 people before
# Malian special forces backed by French troops stormed the building"
_STORMED_TO_END_BEFORE = re.compile(
    r"\b(?:kill\w*|hostages?|dead|died|massacr\w*)\b[^.;]{0,80}?\b(?:before|until)\s+(?:[\w’'.-]+\s+){0,8}$",
    re.IGNORECASE,
)
_STORMED_TO_END_AFTER = re.compile(
    r"^(?:[\s’'-]*s)?(?:\s+[\w’'.-]+){0,6}?\s+(?:stormed|raided|retook|recaptured|freed|rescued|broke\s+into)\b",
    re.IGNORECASE,
)
# What "killed" takes as its object when the words before it did the killing ("insurgents killed residents"), not were
# killed ("insurgents killed in clashes")
_KILLED_OBJECT = (
    r"(?:at least|more than|over|about|some|nearly|up to|dozens|scores|hundreds|"
    r"several|many|\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty|thirty|forty|fifty|"
    r"people|civilians|children|women|his|her|their|an?|the|residents|villagers|worshippers|students|pupils|farmers|"
    r"passengers|protesters|pilgrims|guests|shoppers|fishermen|herders|miners|traders|mourners|patients|workers|"
    r"families|everyone|anyone)"
)
# ... unless the dead are the attackers it fought off ("SDF foiled an ISIS attack, killing 80 militants"): their killer
ATTACKERS_KILLED = re.compile(
    # not past a clause of the attack ("were killed when Boko Haram insurgents overran Baga": the attackers acted)
    r"\b(?:kill\w*|neutrali[sz]\w*|eliminat\w*|shot\s+dead|gunned\s+down)\s+(?:(?!(?:when|as|after|while|by|before|once)\b)[\w’'-]+\s+){0,4}?"
    r"(?:terrorists|militants|attackers|assailants|"
    r"jihadists|insurgents|gunmen|bandits|fighters|rebels|gang\s+members|gangsters)\b|\b(?:terrorists|militants|"
    r"attackers|assailants|jihadists|insurgents|gunmen|bandits|gang\s+members)\s+(?:(?:were|was|had\s+been)\s+"
    rf"(?:killed|neutrali[sz]ed|eliminated)\b|(?:killed|neutrali[sz]ed|eliminated)\b(?!\s+{_KILLED_OBJECT}\b))",
    re.IGNORECASE,
)
# The actor is the target or the victim, not the perpetrator: "kills 18 IS jihadists", "Russian helicopter is shot
# down", "strikes against the regime".
_BLAMED_ON_BEFORE = re.compile(r"\bblam(?:ed|es|ing)\s+(?:[\w’'-]+\s+){1,4}?on\s+(?:the\s+)?$", re.IGNORECASE)
_VICTIM_BEFORE = re.compile(
    r"\b(?:kill\w*(?!\s+(?:in|by|during|when|as|after|from)\b)|execut\w*|target\w*|slain|"
    r"against|hit|struck|attack\w* on|strikes? on|airstrikes? on|air raids? on|(?:strikes?|aimed|fired) at|"
    r"raids? on|shelling of|positions of|posts of|areas held by|held by|controlled by|"
    r"besieged|bombard\w*|pounded|pounding|repel\w*|repuls\w*|thwart\w*|fended off|foiled|"
    r"affiliated (?:to|with)|backed by|supported by|sponsored by|destroy\w*|eliminat\w*|(?:members?|jihadists|militants|fighters) of|"
    r"wedding of|funeral of|famil(?:y|ies) of|base of|headquarters of|convoy of|taken over by|(?:re)?captured by|"
    r"retaken by|seized by|under the control of|shot down|shoots down|downed|downs|downing)(?!\s+by\b)\s+"
    r"(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
# Counted among the dead: "a former soldier was among the 18 killed", and in a headline without a verb, "Israeli and
# French cousins among 4 killed in attack near synagogue"
_AMONG_THE_DEAD_AFTER = re.compile(
    r"^(?:[\s’'-]*s|\))?(?:[\s,-]+(?!by\b|who\b|that\b)[\w’'-]+){0,4}?\s+among\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:dead|killed|victims|casualties|wounded|injured)\b",
    re.IGNORECASE,
)
_VICTIM_AFTER = re.compile(
    r"^(?:[\s’'-]*s|\))?(?:[\s-]+(?:group|forces|fighters|members|jihadists|militants|soldiers|"
    r"terrorists|recruits|militiamen|gunmen|commanders?|leaders?|emirs?|spokesman|son|bombers|"
    r"rebels|and|\d+|"
    r"troops|pilots?|airmen|crew|servicemen|officers?|agents?|policem[ae]n|constables?|troopers?|off-duty|"
    r"commanders?|men|elements|personnel|helicopters?|planes?|jets?|"
    r"fighter|aircraft|warplanes?|tanks?|vehicles?|depots?|airbases?|airfields?|positions|posts|targets|bases|"
    r"convoys)){0,4}\s+(?:(?:were|was|is|are|have been|has been|had been|"
    r"being)\s+(?:shot|downed|killed|hit|targeted|attacked|wounded|executed|ambushed|destroyed|damaged|struck|bombed|"
    r"shelled)|"
    r"(?:(?:seriously|critically|badly|slightly|gravely|fatally)\s+)?"
    rf"(?:(?:killed|injured|hurt|wounded)(?!\s+{_KILLED_OBJECT}\b)|dead|(?:(?:has|have|had)\s+)?(?:died|dies|die)|shot down|"
    r"downed)\b)",
    re.IGNORECASE,
)
_CLAIMED = re.compile(
    r"\bclaim(?:ed|s|ing)? (?:responsibility|(?:the )?(?:[\w’'-]+ ){0,3}?(?:attack|bombing|strike|killing|blast|"
    r"explosion|shooting|massacre|assault|raid|ambush|siege))|"
    r"responsibility was claimed|claimed by\b",
    re.IGNORECASE,
)
_ACCUSED = re.compile(
    r"\b(?:accus\w*|blam\w*|suspect\w*|alleg\w*|held responsible|holds responsible|"
    r"responsibility (?:for (?:[\w’'-]+\s+){0,4}?)?(?:lies|lay|rests|rested) (?:on|with)|"
    rf"condemn\w*|denounc\w*|{POINTS_TO}|{ATTRIBUTED_TO})\b",
    re.IGNORECASE,
)
# ... not the actor refused something ("opened fire after being denied entry", "was denied bail")
_DENIED = re.compile(
    r"(?<!being )(?<!been )(?<!was )(?<!were )\b(?:denied|denies|deny|denying|rejected|rejects|refuted|refutes|refute|"
    r"refuting)\b",
    re.IGNORECASE,
)
# What a relative clause says the actor rejected, when it is no accusation: "FARC rebels who rejected the 2016 peace
# deal" (who they are, not a denial)
_REJECTED_OTHER_AFTER = re.compile(
    r"^\s*,?\s*(?:who|which|that|whom)\s+(?:\w+\s+){0,2}?(?:denied|denies|deny|rejected|rejects|refuted|refutes)\s+"
    r"(?!(?:any\s+|all\s+|the\s+|its\s+|their\s+)?(?:[\w-]+\s+)?(?:involvement|responsibility|role|part|claims?|"
    r"accusations?|allegations?|charges?|blame|reports?|it|that)\b)",
    re.IGNORECASE,
)
# The text around a mention rarely holds a word these need (a verb or weapon before "by", an attack verb after the
# actor, a word that makes it the target): the guards skip the scans that cannot succeed.
_BY_GUARD, _AFTER_VERB_GUARD, _VICTIM_BEFORE_GUARD = Guard(_BY), Guard(_AFTER_VERB), Guard(_VICTIM_BEFORE)


@dataclass(frozen=True)
class ActorMention:
    """An alias of a configured actor found in a sentence: its span in the sentence and the actor id."""

    start: int
    end: int
    actor: str
    words: str


# Latin letters with diacritics -> the ASCII letter under them, one character for one (offsets stand): the UCDP list
# writes "La Linea" and "Grupo Escorpion", the news "La Línea"; a list may write accents the news drops
_ACCENTS = {
    code: folded[0]
    for code in range(0xC0, 0x250)
    if len(folded := unicodedata.normalize("NFD", chr(code))) > 1
    and folded[0].isascii()
    and folded[0].isalpha()
    and all(unicodedata.combining(c) for c in folded[1:])
}


def _bare(text: str) -> str:
    return re.sub(r"[’'`]", "", text).casefold()


def fold_accents(text: str) -> str:
    """Return `text` with Latin letters' diacritics dropped ("Línea" -> "Linea"), one character for one."""
    return text if text.isascii() else text.translate(_ACCENTS)


class ActorMatcher:
    """Finds configured actors in text; aliases compiled once, longest first, and read without diacritics."""

    def __init__(self, actors: Sequence[Actor]):
        by_alias: dict[str, str] = {}
        sensitive: dict[str, str] = {}
        for actor in actors:
            for alias in map(fold_accents, (actor.name, *actor.aliases)):
                # an abbreviation ("IS"), or a name translated into common words ("The Base", "The Nation"): only as
                # written ("the nation's deadliest attack" names no group)
                if re.fullmatch(r"[A-Z]{2,4}|The(?: [A-Z][\w’'-]*)+", alias):
                    sensitive.setdefault(alias, actor.id)
                else:
                    by_alias.setdefault(alias.lower(), actor.id)
        self._insensitive = by_alias
        self._bare_names: defaultdict[str, set[str]] | None = None  # actor -> its aliases without apostrophes
        self._sensitive = sensitive
        self.generic = frozenset(a.id for a in actors if is_generic(a))
        # words for the forces of the country a report is about ("the regime", "troops"): Catalogue.resolve reads them
        self.country_bound = frozenset(a.id for a in actors if getattr(a, "generic", False))
        # single common words ("army", "regime", "police"): inside a proper name ("Kachin Independence Army") they name
        # another actor
        self._common = frozenset(a for a in by_alias if " " not in a and a.isalpha() and a == a.lower()) - {
            a.lower() for actor in actors for a in (actor.name, *actor.aliases) if a != a.lower()
        }
        self.ids = frozenset(a.id for a in actors)
        self.states = frozenset(a.id for a in actors if getattr(a, "state", False))
        # actors that fight side by side: one of them or the other is one answer ("Syrian or Russian warplanes")
        self.allies = frozenset(frozenset((a.id, b)) for a in actors for b in getattr(a, "allies", ()) or ())
        # One trie-shaped alternation per case rule: each position costs one character test, not one per alias
        # (a flat alternation of some hundred aliases made actor search the slowest part of extraction).
        branches = [f"(?i:{trie_pattern(list(by_alias))})"] if by_alias else []
        branches += [trie_pattern(list(sensitive))] if sensitive else []
        self._pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(branches)})(?![\w])") if branches else None
        # Where a mention can start, in the lowercased text: after a character that is neither a word character nor
        # a hyphen (the pattern's lookbehind), an alias lowercased. With ASCII aliases only, a text without a
        # character of FOLDS_TO_ASCII holds an alias that IGNORECASE (or case) matches as the alias lowercased, at
        # the same place (lowercasing keeps every place, word character, hyphen and non-ASCII character). The case-
        # insensitive trie above makes the engine try each alias's first letter in turn at every character; this
        # scan tests the characters between words only, and the lowercased letters one comparison each.
        # a country named as the subject of an attack ("North Korea fires missile over Japan", "Azerbaijan shelled
        # Stepanakert"): its state forces, for a country whose own entry lacks its bare name (see country_subjects)
        self._state_of: dict[str, str] = {}
        for actor in actors:
            if actor.state and actor.countries and not is_generic(actor):
                self._state_of.setdefault(actor.countries[0], actor.id)
        # a group's affiliates by the countries they fight in: "the Islamic State group's affiliate in Afghanistan"
        self._branches = affiliate_branches(actors)
        self._parents = frozenset(parent for parent, _ in self._branches)
        aliases = frozenset(by_alias) | {a.lower() for a in sensitive}
        self._first = self._starts = None
        if aliases and all(a.isascii() for a in aliases):
            self._first = re.compile(prefix_pattern(aliases))
            self._starts = re.compile(rf"[^\w-](?={prefix_pattern(aliases)})")

    def spells(self, name: str, actor: str) -> bool:
        """Whether `name` ends in an alias of `actor`, apostrophes aside ("Peoples Protection Units" for the SDF's
        "People's Protection Units")."""
        if self._bare_names is None:  # made on first use: only a bracketed acronym's name asks
            self._bare_names = defaultdict(set)
            for alias, who in self._insensitive.items():
                self._bare_names[who].add(_bare(alias))
        words = _bare(fold_accents(name)).split()
        names = self._bare_names.get(actor, set())
        if any(" ".join(words[i:]) in names for i in range(len(words))):
            return True
        # ... or an alias of as many words that differs only in their endings ("Islamic Revolution Guards Corps",
        # "Islamic Revolutionary Guard Corps")
        stems = [w[:5] for w in words]
        return len(words) >= 3 and any(
            [w[:5] for w in alias.split()] == stems[-len(alias.split()) :] for alias in names if len(alias.split()) >= 3
        )

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        """Yield self._pattern.finditer(text)'s matches, trying the pattern only where a mention can start (match at
        a position sees the text before it, as finditer does)."""
        low = lowered(text) if self._starts is not None else None
        if low is None:
            yield from self._pattern.finditer(text)
            return
        end = 0
        if self._first.match(low):
            m = self._pattern.match(text)
            if m:
                end = m.end()
                yield m
        for start in self._starts.finditer(low):
            at = start.end()
            if at < end:
                continue
            m = self._pattern.match(text, at)
            if m:
                end = m.end()
                yield m

    def mentions(self, text: str) -> list[ActorMention]:
        """Return the actor mentions in `text`, left to right, without overlaps."""
        if self._pattern is None:
            return []
        found = []
        # the news writes "Myanmar’s army" with a typographic apostrophe, the catalogue "Myanmar's army": read the text
        # with straight ones (one character for one: the offsets stand)
        straight = fold_accents(text.replace("’", "'") if "’" in text else text)
        for m in self._matches(straight):
            words = text[m.start() : m.end()]
            actor = self._sensitive.get(m.group(0)) or self._insensitive.get(m.group(0).lower())
            if actor and not (words.lower() in self._common and _inside_a_name(text, m.start(), m.end())):
                found.append(ActorMention(m.start(), m.end(), actor, words))
        return found

    def country_subjects(self, text: str, taken: Sequence[ActorMention]) -> list[ActorMention]:
        """Return the countries `text` names as the subject of an attack verb, as mentions of their state forces:
        "Ethiopia launched a drone strike", "North Korea Fires Missile". Only right before the verb (a country named
        elsewhere is mostly the place: "Syria air raids kill 20", "in northwest Syria killed three"), never after a
        preposition or as a possessive, never a name that is also a common word or a person's ("Jordan", "Georgia"),
        and never where an alias already names something."""
        if not self._state_of or not _COUNTRY_GUARD.search(text):
            return []
        out = []
        for m in _country_subject_pattern().finditer(text):
            start, end = m.span("name")
            if not text[start].isupper() or any(t.start < end and start < t.end for t in taken):
                continue
            if _SUBJECT_PLACE_BEFORE.search(text, max(0, start - 30), start) or _NOUN_NEXT.match(text, m.end()):
                continue
            country = _country_names().get(m.group("name").lower())
            actor = self._state_of.get(country) if country else None
            if actor:
                out.append(ActorMention(start, end, actor, m.group("name")))
        return out

    def country_objects(self, text: str, taken: Sequence[ActorMention]) -> list[ActorMention]:
        """Return the countries `text` names right after a blaming word ("Iran blamed the United States", "accused
        Rwanda of backing the rebels", "responsibility lies with the United States and ..."), as mentions of their
        state forces, where no alias already names something there. A country blamed is its state, not a place."""
        if not self._state_of or not _BLAME_GUARD.search(text):
            return []
        out = []
        for m in _country_object_pattern().finditer(text):
            for group in ("name", "other"):
                if m.group(group) is None:
                    continue
                start, end = m.span(group)
                if not text[start].isupper() or any(t.start < end and start < t.end for t in taken):
                    continue
                if _BACKING_NEXT.match(text, end):
                    continue  # "accused Rwanda of backing the rebels": a backer, not who did it
                country = _country_names().get(m.group(group).lower())
                actor = self._state_of.get(country) if country else None
                if actor:
                    out.append(ActorMention(start, end, actor, m.group(group)))
        return out

    def demonym_arms(self, text: str, taken: Sequence[ActorMention]) -> list[ActorMention]:
        """Return a people's name before a named weapon system and the weapon ("a Ukrainian HIMARS strike", "Russian
        Iskander missiles", "an Israeli F-16 strike") as mentions of that country's state forces, where no alias
        already names something there."""
        if not self._state_of or not _ARMS_GUARD.search(text):
            return []
        out = []
        for m in _demonym_arms_pattern().finditer(text):
            start, end = m.start("dem"), m.end()
            if any(t.start < end and start < t.end for t in taken):
                continue
            country = gazetteer().country_of(m.group("dem"))
            actor = self._state_of.get(country) if country else None
            if actor:
                out.append(ActorMention(start, end, actor, text[start:end]))
        return out

    def forces_of_countries(self, text: str, found: list[ActorMention]) -> list[ActorMention]:
        """Return `found` with words for a country's forces that a country's name follows ("the armed forces of the
        United States", "the army of Mali", as translated news writes them) read as that country's state forces."""
        if not self._state_of or " of " not in text:
            return found
        out = []
        for m in found:
            named = _of_country_pattern().match(text, m.end) if m.actor in self.country_bound else None
            country = _country_names().get(named.group("name").lower()) if named else None
            actor = self._state_of.get(country) if country else None
            out.append(ActorMention(m.start, named.end(), actor, text[m.start : named.end()]) if actor else m)
        return out

    def affiliates_named(self, text: str, found: list[ActorMention]) -> list[ActorMention]:
        """Return `found` with a group's affiliate named by its parent and its country read as the affiliate: "the
        Islamic State group's affiliate in Afghanistan", "the Afghan branch of ISIL" (the catalogue's affiliate that
        fights there: accord.claims.actors.affiliate_branches)."""
        if not self._parents or not _AFFILIATE_WORD.search(text):
            return found
        out = []
        for m in found:
            parent = m.actor in self._parents
            after = _AFFILIATE_IN.match(text, m.end) if parent else None
            before = _AFFILIATE_OF.search(text, max(0, m.start - 60), m.start) if parent and not after else None
            named = after or before
            country = gazetteer().country_of(named.group("place") or named.group("people")) if named else None
            child = self._branches.get((m.actor, country)) if country else None
            if child and after:
                out.append(ActorMention(m.start, after.end(), child, text[m.start : after.end()]))
            elif child and before:
                out.append(ActorMention(before.start(), m.end, child, text[before.start() : m.end]))
            else:
                out.append(m)
        return out


_AFFILIATE_WORD = re.compile(r"\b(?:affiliates?|branch|franchise|offshoot|chapter|province|wing)\b", re.IGNORECASE)
_AFFILIATE_NOUN = r"(?:local\s+|regional\s+)?(?:affiliate|branch|franchise|offshoot|chapter|province|wing)"
_AFFILIATE_IN = re.compile(
    rf"(?:[’']s)?(?:\s+group[’']s)?\s+(?:{_AFFILIATE_NOUN}\s+(?:in|for)\s+(?:the\s+)?(?P<place>[A-Z][\w’'-]+)|"
    rf"(?-i:(?P<people>[A-Z][\w’'-]+))\s+{_AFFILIATE_NOUN})",  # "the Islamic State group's Afghan affiliate"
    re.IGNORECASE,
)
_AFFILIATE_OF = re.compile(rf"(?P<place>\b[A-Z][\w’'-]+)\s+{_AFFILIATE_NOUN}\s+of\s+(?:the\s+)?(?P<people>)$")


_ARMS = r"(?:strikes?|missiles?|drones?|rockets?|shelling|air\s*strikes?|airstrikes?|bombs?|bombing|artillery|jets?|warplanes?)"
_ARMS_GUARD = re.compile(rf"\b[A-Z0-9][\w./-]*\s+(?i:{_ARMS})\b")


@cache
def _demonym_arms_pattern() -> re.Pattern[str]:
    """A people's name (the gazetteer's demonyms), one or two capitalised or numbered words (a weapon system's name),
    and a word for the weapon."""
    demonyms = sorted((name for name in gazetteer().demonyms() if name.isascii()), key=len, reverse=True)
    return re.compile(
        rf"(?<![\w'’-])(?P<dem>(?i:{trie_pattern(demonyms)}))\s+(?:[A-Z0-9][\w./-]*\s+){{1,2}}(?i:{_ARMS})\b"
    )


@cache
def _of_country_pattern() -> re.Pattern[str]:
    names = trie_pattern(sorted(_country_names(), key=len, reverse=True))
    return re.compile(rf"\s+of\s+(?:the\s+)?(?P<name>(?i:{names}))(?![\w'’-])")


# What country_subjects reads: a country's name, up to two adverbs, an attack verb.
_SUBJECT_VERBS = (
    r"attacked|attacks|struck|strikes|hit|hits|shelled|shells|bombed|bombs|bombarded|bombards|launched|launches|"
    r"fired|fires|invaded|invades|pounded|pounds|targeted|targets|carried out|carries out|shot down|downed|raided|"
    r"raids|stormed|killed|kills"
)
_COUNTRY_GUARD = re.compile(rf"\s(?i:{_SUBJECT_VERBS})\b")
_SUBJECT_PLACE_BEFORE = re.compile(
    r"\b(?:in|across|of|from|to|into|inside|near|on|at|for|against|with|over|throughout|within|outside|by|between|"
    r"and|or)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}$",  # "in northwest Syria", "across war-torn Sudan"
    re.IGNORECASE,
)
# "strikes", "raids", "attacks" are nouns where a verb follows them ("Syria strikes kill 20")
_NOUN_NEXT = re.compile(r"\s+(?i:kill|kills|killed|leave|leaves|left|wound|wounds|wounded|hit|hits|claim|claims)\b")


@cache
def _country_names() -> dict[str, str]:
    """Every Latin-script name of a country in the gazetteer, lowercased, and its ISO code; names that are also a
    region's ("Georgia", "Niger") or a person's given name ("Jordan", "Chad") left out. A town that shares a
    country's name does not take it out: "India" (a town in Serbia) is frequent in English as the country's name."""
    gaz = gazetteer()
    out: dict[str, str] = {}
    for iso, display in gaz.countries.items():
        for name in {display, *gaz.names_of_country(iso)}:
            found = gaz.lookup(name)
            if not name.isascii() or not found or name.lower() in _GIVEN_NAMES:
                continue
            if not any(c.common and c.kind == "region" for c in found):
                out.setdefault(name.lower(), iso)
    return out


# Countries' names that are also given names common in crime reports ("Jordan, 19, fired at ...")
_GIVEN_NAMES = frozenset({"jordan", "chad"})


@cache
def _country_subject_pattern() -> re.Pattern[str]:
    names = trie_pattern(sorted(_country_names(), key=len, reverse=True))
    adverbs = r"(?:(?i:has|have|had|also|reportedly|allegedly|then|later|again|repeatedly|overnight)\s+){0,2}"
    return re.compile(rf"(?<![\w'’-])(?P<name>(?i:{names}))(?![\w'’-])\s+{adverbs}(?i:{_SUBJECT_VERBS})\b")


# What country_objects reads: a blaming word, then a country's name (or a list of them): "blamed the United States",
# "responsibility for the crime lies with the United States and the Zionist regime", "accused Rwanda of"
_BLAME_CUE = (
    r"(?:blam(?:ed|es|ing)|accus(?:ed|es|ing)|held|holds|holding|"
    r"responsibility\s+(?:for\s+[^,.;]{0,40}?\s+)?(?:lies|lay|rests|rested)\s+(?:with|on))"
)
_BACKING_NEXT = re.compile(
    r"\s+of\s+(?:\w+ly\s+)?(?:backing|supporting|arming|funding|financing|sponsoring|harbou?ring|sheltering|"
    r"training|aiding|helping)\b",
    re.IGNORECASE,
)
_BLAME_GUARD = re.compile(rf"\b{_BLAME_CUE}\s", re.IGNORECASE)


@cache
def _country_object_pattern() -> re.Pattern[str]:
    names = trie_pattern(sorted(_country_names(), key=len, reverse=True))
    return re.compile(
        rf"\b(?i:{_BLAME_CUE})\s+(?:(?i:the)\s+)?(?P<name>(?i:{names}))(?![\w'’-])"
        rf"(?:\s+(?i:and|or)\s+(?:(?i:the)\s+)?(?P<other>(?i:{names}))(?![\w'’-]))?"
    )


def _inside_a_name(text: str, start: int, end: int) -> bool:
    """Return whether a common-noun alias written with a capital is the end of a longer proper name in running text:
    "the Kachin Independence Army said" (a capitalised word before it, a lowercase word or a bracket after it). In a
    headline in title case ("Syrian Rebels Kill 5") the next word is capitalised too, and the alias stands."""
    if not text[start].isupper():
        return False
    if not _CAPITAL_BEFORE.search(text, max(0, start - 40), start):
        return False
    nxt = _NEXT_WORD.match(text, end)
    return nxt is None or nxt.group(0).lstrip()[:1] in "([" or not nxt.group(1)[:1].isupper()


_CAPITAL_BEFORE = re.compile(r"[A-Z][\w’'-]*\s+$")
_NEXT_WORD = re.compile(r"\s*[(\[]?\s*([\w’'-]+)")


# Names that hold an alias but name no perpetrator: the opposition's political "Syrian Coalition", the "Syrian
# Observatory", a dateline ("MOSCOW (Sputnik)").
_NOT_ACTOR_BEFORE = re.compile(r"\b(?:Syrian|National|opposition|Syrian National)\s+$", re.IGNORECASE)
_DATELINE_AFTER = re.compile(r"^\s*\((?:Sputnik|AP|AFP|Reuters|SANA|TASS|Xinhua)\)")


# A police building or command named as a place or a source, not as an actor: "a source at Aleppo Police Command",
# "near the main police headquarters".
_POLICE_PLACE_AFTER = re.compile(
    r"^\s+(?:command|station|stations|headquarters|HQ|building|post|checkpoint|academy|"
    r"chief|source|sources|spokes\w+|department)\b",
    re.IGNORECASE,
)


@cache
def _country_name(words: str) -> bool:
    """Whether `words` name a country ("Russia", "Sudan") in the world gazetteer, as an alias may ("Israel")."""
    return any(c.kind == "country" for c in gazetteer().lookup(words))


def _city_name(words: str) -> bool:
    """Whether `words` name a large city (a capital an alias names its state by: "Ankara", "Moscow")."""
    return any(c.kind == "city" and c.population >= _METONYM_CITY for c in gazetteer().lookup(words))


_METONYM_CITY = 500_000


# a country's possessive before its weapon is the actor, wherever it stands ("the toll from Russia's missile strike")
_POSSESSIVE_WEAPON = re.compile(rf"[’']s(?:\s+[\w’'-]+){{0,2}}?\s+{_WEAPON}\b", re.IGNORECASE)
# A country named as a place ("the group operating in Iraq and Syria", "infiltrated from Turkey"), not as an actor.
_PLACE_BEFORE = re.compile(
    r"\b(?:in|into|from|across|to|inside|throughout|near|of)\s+(?:(?:the\s+)?(?:(?:far|deep)\s+)?"
    r"(?:southern|northern|eastern|western|central|south|north|east|west|(?:north|south)-?(?:east|west)(?:ern)?)\s+)?$",
    re.IGNORECASE,
)
# Ground held by an actor ("moving to Syrian Arab Army positions", "regime-held districts") is a place.
_HELD_AFTER = re.compile(
    r"^(?:\s+|-)(?:(?:fighting|defensive|military|forward|front-?line|frontline|rear|command|training)\s+)?"
    r"(?:positions?|posts?|checkpoints?|held|controlled|territory|lines|bases?|camps?|compounds?|depots?|"
    r"headquarters|barracks|facilit(?:y|ies)|hideouts?|strongholds?)\b",
    re.IGNORECASE,
)


# An earlier incident named as the time of this one ("Just days after a deadly Assad regime chemical attack a woman was
# killed"): its actor carried out that attack, not this one.
_EARLIER_BEFORE = re.compile(
    r"\b(?:days|weeks|months|years|a day|a week|a month|a year|the day|the week)\s+(?:after|since)\s+"
    r"(?:a|an|the|last|its)?\s*(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)

# "No IDF strike was conducted towards the convoy": the actor's deed denied
_NONE_BEFORE = re.compile(r"(?:^|[\s\"“])(?:[Nn]o|[Nn]ever an?|[Nn]ot an?)\s+$")
# What the actor owns or uses: "pagers used by Hezbollah", "a car owned by the ministry"
_OWNER_BEFORE = re.compile(r"\b(?:used|carried|owned|worn)\s+by\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
# The deed a gathering marks, not this one: "a ceremony marking the anniversary of Soleimani's killing in a US drone
# strike", "on the anniversary of the 2019 attack by ..."
_ANNIVERSARY_BEFORE = re.compile(r"\banniversar(?:y|ies)\s+of\s+[^.;:,]{0,90}$", re.IGNORECASE)


# Police named by a count are the people hit, not the shooters ("three officers") ...
_COUNTED_BEFORE = re.compile(
    r"(?<![\w.,])(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty|thirty|dozens of|"
    r"scores of)\s+(?:(?!the\b|a\b|an\b)[a-z’'-]+\s+)?$",
    re.IGNORECASE,
)
# ... and any actor counted as the dead or hurt ("4 Turkish Troopers Killed 4 Wounded", "20 Islamic State militants
# were killed").
_COUNTED_VICTIMS_AFTER = re.compile(
    r"^(?:\s+(?:group|forces|fighters|members|jihadists|militants|soldiers|troops|troopers|officers|men|"
    r"personnel|militiamen|rebels|policemen)){0,2}?\s+(?:(?:were|was|have been|had been|are|reportedly|also)\s+){0,2}"
    r"(?:killed|dead|died|wounded|injured|executed|martyred|slain|neutrali[sz]ed|eliminated)\b",
    re.IGNORECASE,
)
# Bare words for men under arms, counted, are the people hit ("five soldiers", "three troops"), as police are
_COUNTED_MEN = frozenset({"soldiers", "soldier", "troops", "police", "policemen", "officers"})
# ... an actor counted after a verb of killing is the dead: "have neutralised seven armed White Army fighters"
_KILLED_COUNT = (
    r"(?:at least\s+|more than\s+|some\s+|nearly\s+|about\s+)?(?:\d{1,4}|two|three|four|five|six|seven|eight|nine|ten|"
    r"\w+teen|twenty|thirty|forty|fifty|dozens of|scores of|hundreds of)\s+"
)
# ... also the second of two counted groups ("killing at least 60 Afghans and 13 U.S. troops")
_KILLED_COUNT_BEFORE = re.compile(
    r"\b(?:killed|killing|kills|neutrali[sz]ed|neutrali[sz]ing|eliminated|eliminating|captured|arrested|shot dead)\s+"
    rf"(?:{_KILLED_COUNT}(?:[\w’'-]+\s+){{1,2}}(?:and|,)\s+)?{_KILLED_COUNT}"
    r"(?:(?!the\b|a\b|an\b)(?:[a-z’'-]+|[A-Z]\.[A-Z]\.|[A-Z]{2,4})\s+)?$",
    re.IGNORECASE,
)
# ... and an actor that "came under fire" is the target
_TARGET_AFTER = re.compile(
    r"^\s+(?:had\s+|have\s+|has\s+)?(?:came|come|comes|coming|was|were|been)\s+under\s+(?:heavy\s+|intense\s+)?"
    r"(?:fire|attack|assault|shelling|bombardment)\b",
    re.IGNORECASE,
)
# Two country names side by side with no word between ("relations with Syria Iraq Air strikes killed") are a list of
# keywords or places, not a sentence's subject.
_COUNTRY_BEFORE = re.compile(r"\b([A-Z][\w’'-]+)\s+$")


# A nationality or name before the victims or the place, not the attacker: "Ukrainian prisoners of war killed",
# "Russian prison explosion", "Israeli hostages freed", "Afghan civilians".
_VICTIM_NOUN_AFTER = re.compile(
    r"^(?:\s+|-)(?:(?:war|military|civilian|detention|refugee|border|aid|labou?r)\s+)?(?:prisoners?|POWs?|"
    r"civilians?|citizens?|nationals?|hostages?|captives?|detainees?|pilgrims?|tourists?|villagers?|residents?|"
    r"journalists?|workers?|migrants?|refugees?|students?|schoolchildren|children|families|worshippers|"
    r"prison|prisons|jail|penal colony|embassy|consulate|village|town|city|hospital|school|mosque|church|market|"
    r"camp)\b",
    re.IGNORECASE,
)
# Where or how a party spoke, between its verb and what it said: "said in a statement on Telegram that", "said on
# Tuesday that", "announced via its Amaq news agency that"
_CHANNEL = r"(?:(?:in|on|via|through)\s+(?:[\w’'-]+\s+){1,6}?(?=that\b))?"
# An actor that speaks, not one that acts: "Hamas says at least 40 killed", "the Hamas-run health ministry said",
# unless it speaks of its own deed ("IS says it carried out").
_SPEAKER_AFTER = re.compile(
    r"^(?:-(?:run|led|controlled|backed|appointed|based|affiliated)\b)?(?:[\s-]+(?:health|interior|defen[cs]e|foreign|"
    r"media|press|information|state|news|official|ministry|authorities|officials|spokes\w+|government|agency|office|"
    r"military|army|command|sources?|police|channel|outlet|TV|television|statement|leaders?|commanders?|group|"
    r"civil|emergency|rescue|services?|department|administration|municipality|council|governor|mayor)\b){0,4}"
    # the verb ends the sentence or goes on ("..., police said.")
    r"\s+(?:says|said|say|reported|reports|told|announced|stated|confirmed|puts?|gave|gives|names?|named|identified|"
    r"identif(?:y|ies)|released)(?:\s+|(?=[.,;:!?\"”’]|$))"
    rf"(?!{_CHANNEL}(?:that\s+)?(?:it|its|they|their|he|his|the group)\b)(?!to\b)",
    re.IGNORECASE,
)
# A party's media or officials that report, claim or say ("Houthi-run media claimed at least 70 were killed"): a source
_RUN_MEDIA_AFTER = re.compile(
    r"^-(?:run|controlled|affiliated|backed|led|aligned)\s+(?:[\w-]+\s+){0,2}?(?:media|television|TV|channel|outlets?|"
    r"news\s+agency|agency|ministry|authorities|officials)\s+(?:claimed|claims|reported|reports|said|says)\b",
    re.IGNORECASE,
)
# A parent group named to describe the affiliate that acted: "Qaeda-linked JNIM", "an IS affiliate", "a splinter
# group of the TTP". The parent is not the actor when the affiliate is named after it, nor when the report says a
# splinter or breakaway group acted (another group by definition).
_PARENT_AFTER = re.compile(
    r"^(?:[\s-]+)(?:linked|affiliated|allied|aligned|inspired|backed|splinter|offshoot|breakaway|affiliate|"
    r"franchise|branch|faction)\b",
    re.IGNORECASE,
)
_SPLINTER_AFTER = re.compile(r"^(?:[\s-]+)(?:splinter|offshoot|breakaway|rival)\b", re.IGNORECASE)
# ... the affiliate, a configured actor, follows the parent's "-linked" at once (the pattern is matched up to it)
_NAMED_NEXT = re.compile(
    r"[\s-]+(?:linked|affiliated|allied|aligned|inspired|backed)\s+(?:(?:jihadist|militant|armed|rebel|insurgent|"
    r"islamist|terrorist|extremist|local|group|faction|militia|the|(?-i:[A-Z][\w’'-]*))\s+){0,3}$",
    re.IGNORECASE,
)
_BACKER_WORDS = re.compile(r"-(?:backed|linked|affiliated|allied|aligned|inspired)$", re.IGNORECASE)
_NAMED_AFTER = re.compile(
    r"\s+(?:(?:jihadist|militant|armed|rebel|insurgent|islamist|terrorist|extremist|local|group|faction|militia|"
    r"the|(?-i:[A-Z][\w’'-]*))\s+){0,3}$",
    re.IGNORECASE,
)
_PARENT_OF_BEFORE = re.compile(
    r"\b(?:splinter|offshoot|breakaway|affiliate|franchise|branch|faction|wing|arm|ally|proxy)\s+"
    r"(?:group\s+|faction\s+)?(?:of|to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PARENT_OF_GUARD = Guard(_PARENT_OF_BEFORE)
# A group named to say whom the attackers are linked to, not named as them: "militants linked to the Islamic State
# group", "Islamic State-linked militants", "al-Qaeda-affiliated fighters"
_LINKED_TO_BEFORE = re.compile(
    r"\b(?:linked|affiliated|allied|aligned|loyal|tied|connected)\s+(?:to|with)\s+(?:the\s+)?$", re.IGNORECASE
)
_LINKED_AFTER = re.compile(
    r"^[\s-]+(?:linked|affiliated|allied|aligned|inspired)\s+(?:[\w-]+\s+)?(?:militants|fighters|insurgents|"
    r"jihadists|gunmen|rebels|extremists|militia|group|attackers|assailants)\b",
    re.IGNORECASE,
)


# ... or names its branch: "Islamic State's Sinai branch", "al-Qaeda's Sahel affiliate"
_BRANCH_AFTER = re.compile(
    r"^[’']s\s+(?:[\w-]+\s+){0,2}?(?:branch|affiliate|province|franchise|offshoot|arm)\b", re.IGNORECASE
)


def described_by_link(sentence: str, m: ActorMention) -> bool:
    """Whether `sentence` names the group of mention `m` only as the one the attackers are linked to, or as the
    parent of the branch it names."""
    after = sentence[m.end :]
    return bool(
        _LINKED_TO_BEFORE.search(sentence[max(0, m.start - 40) : m.start])
        or _LINKED_AFTER.match(after)
        or _BRANCH_AFTER.match(after)
    )


_DESPITE_BEFORE = re.compile(r"\bdespite\s+(?:[\w’'-]+\s+){0,4}?(?:by|of|from)\s+(?:the\s+)?$", re.IGNORECASE)
# Troops who fire on the attacker defend: "soldiers opened fire on the vehicle, but the bomber managed to detonate"
_FIRED_ON_ATTACKER = re.compile(
    r"^(?:[\s’'-]*s)?(?:,)?(?:\s+[\w’'-]+){0,2}?\s+(?:(?:opened|open|opens)\s+fire\s+(?:on|at)|"
    r"(?:fired|fires|shot)\s+(?:[\w-]+\s+){0,2}?(?:at|on|that\s+(?:struck|hit)|striking|hitting))\s+(?:the\s+|an?\s+)?"
    r"(?:(?:suicide\s+)?(?:bombers?|attackers?|assailants?|gunm[ae]n|militants|terrorists|insurgents|suspects?)|"
    r"(?P<vehicle>(?:[\w-]+\s+)?(?:vehicle|car|truck|pickup|motorcycle)))\b",
    re.IGNORECASE,
)
_ATTACKER_WORD = re.compile(r"\b(?:bombers?|attackers?|assailants?|suicide)\b", re.IGNORECASE)
# ... or acted on the attacker: "SWAT teams using explosives stormed the gunman's room", "officers confronted the
# shooter"
_ON_THE_ATTACKER = re.compile(
    r"^(?:[\s’'-]*s)?(?:\s+[\w’'-]+){0,4}?\s+(?:stormed|raided|entered|breached|surrounded|cornered|confronted|engaged|"
    r"tracked\s+down|chased|pursued|shot|killed|wounded|subdued|tackled|disarmed|arrested|detained|captured)\s+"
    r"(?:(?:the\s+|a\s+|an\s+)?(?:suspected\s+|lone\s+)?(?:gunm[ae]n|shooters?|attackers?|assailants?|suspects?|bombers?|"
    r"hostage-takers?|perpetrators?)(?:[’']s?)?|"
    # "Mexican security forces on Sunday killed seven more members of a presumed cartel assault force"
    r"(?:[\w-]+\s+){0,2}?members\s+of\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:cartel|gang|assault\s+force|armed\s+group|"
    r"commando))\b",
    re.IGNORECASE,
)
# A group's claim that another party rejects: "FBI rejects Islamic State claim", "dismissed a claim of responsibility
# by the Islamic State"
_REJECT_VERB = r"(?:reject\w*|dismiss\w*|discount\w*|disput\w*|doubt\w*|cast(?:s|ing)?\s+doubt\s+on)"
_REJECTED_BEFORE = re.compile(rf"\b(?P<verb>{_REJECT_VERB})\s+(?:the\s+|an?\s+|its\s+)?$", re.IGNORECASE)
_REJECTED_BY_BEFORE = re.compile(
    rf"\b(?P<verb>{_REJECT_VERB})\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+)?claims?\s+(?:of\s+responsibility\s+)?"
    r"(?:by|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_CLAIM_NOUN_AFTER = re.compile(
    r"^(?:[’']s)?\s+(?:group\s+)?claims?\b(?!\s+(?:that|the|a|an|responsibility)\b)", re.IGNORECASE
)


def _rejected_claim(
    sentence: str, m: ActorMention, before: str, after: str, matcher: ActorMatcher
) -> list[PerpetratorHit]:
    """Return the claim a group made and the denial of it by whoever rejects it ("FBI rejects Islamic State claim":
    the Islamic State claims, the FBI denies it), else nothing."""
    found = _REJECTED_BY_BEFORE.search(before)
    if found is None:
        found = _REJECTED_BEFORE.search(before)
        if found is None or not _CLAIM_NOUN_AFTER.match(after):
            return []
    at = m.start - len(before) + found.start("verb")
    if found.group("verb").lower().endswith("ing"):
        # "The FBI said it found no link, rejecting a claim by ...": the participle's subject is the sentence's
        says = _say_verbs(sentence, at)
        at = says[0].start() if says else at
    rejecter = _speaker_words(_subject_before(sentence, at), matcher)
    if rejecter is None or rejecter == m.actor:
        return []
    if m.actor in matcher.states and rejecter in matcher.ids and rejecter not in matcher.states | matcher.generic:
        return []  # "Hezbollah disputes Israel's claim": a state's accusation of the group, not a deed Israel claims
    return [
        PerpetratorHit(m, "claimed", "rejected", m.actor, True),  # a claim on record, not the report's answer
        PerpetratorHit(m, "denied", "denial", rejecter, rejecter in matcher.ids),
    ]


# One who speaks for the actor: "a spokesman for the army's regional command", "an official of the Taliban said"
_SPEAKS_FOR_BEFORE = re.compile(
    r"\b(?:spokesm[ae]n|spokesperson|spokeswoman|officials?|representatives?|sources?)\s+(?:for|of|from|in|close to)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# The force is what the attacker posed as: "Gunman disguised as police officer kills 19" (not "dressed as Dozo hunters":
# the Dogon militia's own garb)
_POSING_AS_BEFORE = re.compile(
    r"\b(?:disguised|posing|masquerading)\s+(?:as|in)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$|"
    r"\bimpersonating\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$|\buniforms?\s+of\s+(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)


# A country's name before a word for a terror attack or a disaster names where it happened, in the headlines' way
# ("Iran bombings", "Pakistan attack kills 20", "Mali massacre"), unless a target follows ("Iran attack on Israel");
# before a strike or a raid it names who struck ("Israel strikes Gaza" reads by the verb, "Russia air strikes" by the
# weapon).
_PLACE_EVENT_AFTER = re.compile(
    r"^\s+(?:(?:twin|double|triple|suicide|terror|terrorist|deadly|mosque|church|school|train|bus|market|prison|"
    r"hospital|wedding|funeral|car|truck|bomb)\s+){0,2}"
    r"(?:bombings?|blasts?|explosions?|attacks?|shootings?|massacres?|hijackings?|sieges?|violence|clashes|unrest|"
    r"killings|stampede|carnage|tragedy|atrocity|bombers|attackers|gunmen|assailants)\b"
    r"(?!\s+(?:on|against|targeting|in)\b)",
    re.IGNORECASE,
)
# A country after a place and a comma is where it happened: "in Kerman, Iran killing ...".
_PLACE_COMMA_BEFORE = re.compile(r"\b(?:in|at|near|of|from)\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?,\s+$")


# A word of the state's forces used as a modifier of another side's role: "the military operations spokesman of
# Harakat al-Shabaab", "the military wing of Hamas"
_ROLE_OF_AFTER = re.compile(
    r"^(?:\s+[a-z][\w-]*){0,2}?\s+(?:spokes\w+|officials?|chief|head|commanders?|representatives?|wing|arm|leaders?)"
    r"\s+(?:of|for)\s+(?:the\s+)?[A-Z]"
)

# Where a weapon came from, not who used it: "an Iranian-made Falaq rocket", "US-supplied missiles", "Russian-built"
_MADE_AFTER = re.compile(r"^-(?:made|built|manufactured|produced|designed|supplied|provided|donated|origin)\b")


def _not_an_actor(sentence: str, m: ActorMention, next_start: int = -1) -> bool:
    """Return whether a mention names no perpetrator; `next_start` is where the next mention starts (-1: none)."""
    after = sentence[m.end : m.end + 60]
    if _MADE_AFTER.match(after):
        return True
    if _VICTIM_NOUN_AFTER.match(after) or _SPEAKER_AFTER.match(after) or _RUN_MEDIA_AFTER.match(after):
        return True
    if _ROLE_OF_AFTER.match(after) and not any(w[:1].isupper() for w in m.words.split() if w.lower() != "the"):
        return True  # a common noun ("the military"), not a name: "Hamas military wing of ..." is no such modifier
    if _PARENT_OF_GUARD.may_match(sentence, max(0, m.start - 50), m.start) and _PARENT_OF_BEFORE.search(
        sentence[max(0, m.start - 50) : m.start]
    ):
        return True
    if _PARENT_AFTER.match(after) and (_SPLINTER_AFTER.match(after) or _NAMED_NEXT.match(sentence, m.end, next_start)):
        return True
    if _BACKER_WORDS.search(m.words) and _NAMED_AFTER.match(sentence, m.end, next_start):
        return True  # an alias that names the backer ("Iran-backed") before the group that acted
    if _country_name(m.words) and _PLACE_COMMA_BEFORE.search(sentence[max(0, m.start - 30) : m.start]):
        return True
    if _PLACE_EVENT_AFTER.match(after) and (_country_name(m.words) or _city_name(m.words)):
        return True  # "Islamic State claims Iran bombings", "toll from Ankara bombings": where they happened
    if _EARLIER_BEFORE.search(sentence[max(0, m.start - 60) : m.start]):
        return True
    if _OWNER_BEFORE.search(sentence[max(0, m.start - 40) : m.start]):
        return True  # "pagers used by Hezbollah exploded": whose pagers, not who set them off
    if "nniversar" in sentence and _ANNIVERSARY_BEFORE.search(sentence[max(0, m.start - 100) : m.start]):
        return True
    if _DESPITE_BEFORE.search(sentence[max(0, m.start - 60) : m.start]):
        return True  # "where al-Shabaab holds sway despite operations by Somali forces": not this attack's author
    if (
        _COUNTED_BEFORE.search(sentence[max(0, m.start - 30) : m.start])
        and (m.actor == "police" or m.words.lower() in _COUNTED_MEN or _COUNTED_VICTIMS_AFTER.match(sentence[m.end :]))
        and not _KILLED_ATTACKING_AFTER.match(after)  # "five al-Shabaab militants were killed when they attacked"
    ):
        return True
    if _TARGET_AFTER.match(after):
        return True
    if _KILLED_COUNT_BEFORE.search(sentence[max(0, m.start - 60) : m.start]):
        return True
    if _country_name(m.words):
        previous = _COUNTRY_BEFORE.search(sentence[max(0, m.start - 30) : m.start])
        if previous and _country_name(previous.group(1)):
            return True
    if m.actor == "police" and _POLICE_PLACE_AFTER.match(sentence[m.end :]):
        return True
    if (
        _PLACE_BEFORE.search(sentence[max(0, m.start - 30) : m.start])
        and (_country_name(m.words) or _city_name(m.words))
        and not _POSSESSIVE_WEAPON.match(sentence, m.end)
    ):
        return True
    if _HELD_AFTER.match(sentence[m.end :]):
        return True
    if (
        m.actor == "us-led-coalition"
        and m.words.lower() == "coalition"
        and _NOT_ACTOR_BEFORE.search(sentence[max(0, m.start - 25) : m.start])
    ):
        return True
    return m.words.isupper() and len(m.words) > 4 and bool(_DATELINE_AFTER.match(sentence[m.end :]))


def _news_agency(sentence: str, m: ActorMention) -> bool:
    """Whether a mention is a news agency the report speaks of as such (`_NEWS_AGENCIES`)."""
    return m.words in _NEWS_AGENCIES and bool(
        _TO_AGENCY_BEFORE.search(sentence, max(0, m.start - 30), m.start) or _AGENCY_AFTER.match(sentence, m.end)
    )


# A news agency whose acronym is also an actor's ("AFP": Agence France-Presse and the Armed Forces of the Philippines),
# where the report speaks of it as the agency: "told AFP", "reached by AFP", "(AFP) -", "AFP reported"
_NEWS_AGENCIES = frozenset({"AFP", "AP", "EFE", "DPA", "ANI", "PTI", "UPI", "IRNA", "SANA", "APA"})
_TO_AGENCY_BEFORE = re.compile(r"(?:\b(?:told|to|by|according to|quoted by|tally by|count by)\s+|\()$", re.IGNORECASE)
_AGENCY_AFTER = re.compile(
    r"\s*(?:\)|-|—|reported|reports|said|says|news|correspondents?|journalists?|reporters?|photographers?|tally|"
    r"count|learned|has learned|understands|was told|obtained)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PerpetratorHit:
    """An actor tied to the violence in one sentence, with the stance the report takes and who speaks.

    `speaker` is who makes the claim: None for the report's own voice, an actor id when the speaker is a configured
    actor ("Moscow said ..." -> "russia"; the actor itself for "claimed" and for a denial it makes), else the
    speaker's words ("police", "health ministry")."""

    mention: ActorMention
    stance: str
    cue: str
    speaker: str | None = None
    speaker_is_actor: bool = False
    relayed: bool = False  # "accused" only because a cited speaker states it (no blaming word)
    # the actors the report says this one is a front or proxy of ("the Kashmir Tigers, a shadow outfit of the JeM"):
    # naming either is one answer
    kin: tuple[str, ...] = ()
    joint: bool = False  # read as a doer only because it is joined to another's deed by "and" (_joint_doers)


# The report says it does not know who did it ("it is not known which aircraft carried out the strike", "it was not
# immediately clear who carried out the attack"): the actors it then names are possibilities, and a coder records no
# perpetrator from that sentence.
UNCERTAIN = re.compile(
    r"\b(?:(?:not|never) (?:immediately |yet |officially )?(?:known|clear|confirmed|identified)|unclear|"
    r"unknown|no (?:way|one) (?:of knowing|knows)|(?:conflicting|contradictory|competing|differing) (?:accounts|versions|"
    r"claims|narratives)(?: (?:of|about|as to|over))?|(?:disagree|disagreed|dispute|disputed) (?:over|about|on))\s+"
    r"(?:who|which|whether|if|what)\b",
    re.IGNORECASE,
)


# Allies a report names as the alternatives of one side ("not clear whether Syrian or Russian warplanes carried out
# the raids"): the side is known, and the report's first-named ally stands for it.
ONE_SIDE = frozenset({"syrian-government", "russia"})

# Two parties blaming each other ("Israel and Hezbollah blamed each other for the strike", "the warring sides traded
# accusations"): each is accused by the other, and neither is the report's own finding.
MUTUAL = re.compile(
    r"\b(?:blam\w*|accus\w*)\s+(?:each other|one another)|\b(?:trad|exchang)\w*\s+(?:blame|accusations|charges)|"
    r"\bmutual (?:accusations|blame|recriminations)",
    re.IGNORECASE,
)
_MUTUAL_GUARD = Guard(MUTUAL)

# Who speaks: a blaming verb, a verb of saying, or "according to".
_BLAME_VERB = re.compile(
    r"\b(?:blamed|blames|blame|blaming|accused|accuses|accuse|accusing|suspects?|suspected|"
    rf"held|holds|hold|pointed the finger at|attributed|attributes|attributing|{POINTS_TO})\b",
    re.IGNORECASE,
)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being|widely|be)\s+$|^\W*$", re.IGNORECASE)
_SAY_VERB = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|stated|states|announced|announces|added|insisted|"
    r"insists|confirmed|confirms|maintained|maintains|believes|believe|concluded|according to|"
    # "an adviser to the interior minister wrote on Facebook that ...", "posted on Telegram that"
    r"(?:wrote|writes|posted|posts)(?=\s+(?:on|in)\s+(?:his\s+|her\s+|its\s+|their\s+|a\s+)?[\w-]+\s+(?:\w+\s+)?that\b)|"
    # "rebels claim six died": a count claimed is said (a claim of the attack is read elsewhere)
    r"claim(?:s|ed)?(?=\s+(?:that\s+)?(?:at least\s+|more than\s+|over\s+|nearly\s+|only\s+)?(?:\d|one\b|two\b|"
    r"three|four|five|six|seven|eight|nine|ten\b|eleven|twelve|dozens|scores|hundreds))|"
    # "the Houthis claim a US air strike killed 68": a clause claimed is said
    rf"claim(?:s|ed)?(?={_CLAIMED_CLAUSE}))\b",
    re.IGNORECASE,
)
# "reports" and "states" as nouns ("amid reports that ...", "media reports", "Gulf states") say nothing
_NOUN_SAYING = re.compile(
    r"\b(?:amid|among|despite|after|following|of|the|some|many|several|early|earlier|initial|unconfirmed|conflicting|"
    r"local|media|news|press|were|are|gulf|member|arab|western|neighbouring|neighboring)\s+$",
    re.IGNORECASE,
)


def _say_verbs(text: str, end: int | None = None) -> list[re.Match[str]]:
    """Return the verbs of saying in `text` (_SAY_VERB) that end by `end`, without "reports" and "states" used as
    nouns. The words after `end` stay in view: "claims" says only before a clause ("claims Israeli strikes killed")."""
    return [
        m
        for m in _SAY_VERB.finditer(text)
        if (end is None or m.end() <= end)
        and (
            m.group(0).lower() not in ("reports", "states")
            or not _NOUN_SAYING.search(text, max(0, m.start() - 16), m.start())
        )
    ]


# The end of the clause that holds a speaker: a speaker is the subject of its verb in the same clause.
_CLAUSE_START = re.compile(
    r"(?:^|[;:(\"“”]|,\s*(?:while|whereas|but|and|as|after|although|though)\b|\b(?:while|whereas|but|that|after|"
    r"when|as)\b|,)\s*",
    re.IGNORECASE,
)
_DETERMINERS = re.compile(r"^(?:the|a|an|its|their|his|her|local|some)\s+", re.IGNORECASE)
# ", the health ministry said." / ", said the ministry." / ", according to police." at the sentence's end
_TRAILING_SAY = re.compile(
    r",\s*(?P<s>(?:the\s+|a\s+|an\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,5}?)\s+(?:has\s+|have\s+)?"
    r"(?:said|says|say|reported|told|stated|added|confirmed|announced)\s*[.\"”]?\s*$|"
    r",\s*(?:said|says|according to)\s+(?P<t>(?:the\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,5}?)\s*[.\"”]?\s*$",
    re.IGNORECASE,
)
_CLAUSE_VERB = re.compile(r"(?!(?:armed|united|based|led|backed|run|appointed|affiliated)$)[a-z]+(?:ed|ing)")
_PREPOSITIONS = frozenset({"in", "of", "for", "at", "from", "on", "near", "inside"})
_AUXILIARIES = frozenset({"was", "were", "is", "are", "be", "been", "has", "have", "had", "will", "would", "can"})
_ACCORDING_TO = re.compile(r"\s*([^,;:]{0,60})")
_NOT_SPEAKER = frozenset(
    {"he", "she", "it", "they", "we", "i", "this", "that", "there", "who", "which", "which also", "the", "a", "an"}
)


def is_generic(actor: Actor) -> bool:
    """Return whether an actor names no one in particular ("the gunman", "gunmen"): its name and every alias are
    common words, written without a capital, or it is one of the catalogue's (accord.patterns.GENERIC_ATTACKERS, whose
    names a user's list may capitalise) or spelled like them ("lone-attacker", with the attacker's name among its
    aliases). Such an actor is the attacker by definition, however the sentence treats it, and yields to a named actor
    that the report gives as the attacker."""
    if generic_attacker_id(actor.id):
        return True
    if getattr(actor, "generic", False):
        return False  # words for a country's forces ("the regime"): the catalogue resolves them (Catalogue.resolve)
    return not any(ch.isupper() for word in (actor.name, *actor.aliases) for ch in word)


def _speaker_words(span: str, matcher: ActorMatcher, exclude: str | None = None) -> str | None:
    """Return who a subject span names: the last configured actor in it (its id), else its last words (at most five,
    without a leading article), else None."""
    span = re.sub(r"\s*\([^()]{1,12}\)\W*$", "", span).strip(" ,.;:\"“”'’")  # "... Front (SDF)": the name
    if not span:
        return None
    found = [m for m in matcher.mentions(span) if m.actor != exclude or exclude is None]
    if found:
        # a name before common words ("The M23 rebel group"): the name
        return ([m for m in found if not m.words.islower()] or found)[-1].actor
    words = span.split()[-5:]
    # the noun phrase ends the span: start it after the last article ("... border a monitoring group")
    starts = [
        i + 1
        for i, w in enumerate(words[:-1])
        if w.lower() in ("the", "a", "an") and (i == 0 or words[i - 1].lower() not in _PREPOSITIONS)
    ]
    words = words[starts[-1] :] if starts else words
    text = _DETERMINERS.sub("", " ".join(words)).strip()
    if not text or text.lower() in _NOT_SPEAKER or text.lower().split()[0] in _NOT_SPEAKER:
        return None
    if any(_CLAUSE_VERB.fullmatch(w) or w in _AUXILIARIES for w in text.split()):
        return None  # a clause, not a speaker ("separatists frequently attacked soft targets")
    # "Syrias opposition" (a page that lost its apostrophes) reads "syria's opposition"
    return " ".join(gazetteer().possessive(w) or w for w in text.split()).lower()


# A verb joined to an earlier one by "and": its subject is that verb's, not the words just before it
_COORDINATED = re.compile(r"(?:^|,|\s)and\s*$", re.IGNORECASE)


def _subject_before(sentence: str, at: int) -> str:
    """Return the text of the clause that ends at `at` (a verb's start): its subject."""
    clause = sentence[max(0, at - 90) : at]
    start = 0
    for m in _CLAUSE_START.finditer(clause):
        if m.end() < len(clause):
            start = m.end()
    return clause[start:]


def speaking_party(sentence: str, at: int, matcher: ActorMatcher) -> str | None:
    """Return the catalogue actor that `sentence` gives as the source of what it says at offset `at` ("the Israeli
    military said fewer than 100 were killed", "..., the army said", "according to the ministry of defence"), as an
    actor id, else None. A speaker that names no catalogue actor (a witness, a doctor, the Observatory) is None."""
    before = sentence[:at]
    says = _say_verbs(sentence, at)
    span = ""
    if says:
        last = says[-1]
        inverted = _SPEAKER_FOLLOWS.match(before, last.end())
        if last.group(0).lower() == "according to":
            span = _ACCORDING_TO.match(before, last.end()).group(1)  # type: ignore[union-attr]
        elif inverted:  # "..., said Mounzer Khalil, head of the health authority, adding that ...": who follows
            span = inverted.group(1)
        else:
            span = _subject_before(sentence, last.start())[-_SUBJECT_CHARS:]  # the subject next to its verb
    else:
        trailing = _TRAILING_SAY.search(sentence[at:])
        if trailing:
            span = trailing.group("s") or trailing.group("t") or ""
    found = matcher.mentions(span.strip(" ,.;:\"“”'’")) if span.strip() else []
    return found[-1].actor if found else None


# A verb of saying followed by its speaker ("said Mounzer Khalil, head of ...", "said the army, adding"): up to a comma
# or a clause, before the figure.
# Not a day and its clause ("said Friday that an expert belonging to the ELN carried out ...": said what, not who).
_SPEAKER_FOLLOWS = re.compile(
    r"\s+(?!(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Today|Tonight|Yesterday|Earlier|Later)\b)"
    r"((?:the\s+)?[A-Z](?:(?!\bthat\b)[^,;:]){0,80}?|the\s+(?:(?!\bthat\b)[^,;:]){0,60}?)(?=,|;|:|\s+(?:adding|who)\b)"
)
# How far before its verb of saying a speaker is read ("the Israeli military's chief spokesman said"): further back
# is another clause's actor ("warplanes targeted the town with gases ..., said ...")
_SUBJECT_CHARS = 60


def speaker_of(sentence: str, m: ActorMention, stance: str, matcher: ActorMatcher) -> str | None:
    """Return who makes the claim about the mention (see PerpetratorHit.speaker). A headline's clauses have speakers
    of their own ("DR Congo says 42 killed in M23 shelling; rebels claim six died in army drone strike")."""
    if stance in ("claimed", "denied"):
        return m.actor
    clause = sentence.rfind(";", 0, m.start) + 1
    end = sentence.find(";", m.end)
    if clause or end >= 0:
        sentence = sentence[clause : end if end >= 0 else len(sentence)]
        m = replace(m, start=m.start - clause, end=m.end - clause)
    before = sentence[: m.start]
    if stance == "accused":
        verbs = list(_BLAME_VERB.finditer(before))
        if verbs:
            verb = verbs[-1]
            passive = _PASSIVE_BEFORE.search(sentence[max(0, verb.start() - 12) : verb.start()]) or sentence[
                verb.end() : verb.end() + 4
            ].lower().startswith(" on")
            if not passive:
                subject = _subject_before(sentence, verb.start())
                if (
                    _COORDINATED.search(subject) or _SAID_PRONOUN.search(subject) or _STATEMENT_THAT.search(subject)
                ) and not matcher.mentions(subject):
                    # "The government has said 42 were killed in ..., and accused the rebels": the first verb's subject
                    said = _say_verbs(sentence, verb.start())
                    subject = _subject_before(sentence, said[0].start()) if said else subject
                who = _speaker_words(subject, matcher)
                if who is not None and who != m.actor:
                    return who
    says = _say_verbs(sentence, m.start)
    if says and says[-1].group(0).lower() == "according to":
        who = _speaker_words(_ACCORDING_TO.match(before, says[-1].end()).group(1), matcher)
        if who is not None:
            return who
        says = says[:-1]
    if says:
        who = _speaker_words(_subject_before(sentence, says[-1].start()), matcher)
        if who is not None:
            return who
    trailing = _TRAILING_SAY.search(sentence[m.end :])
    if trailing:
        who = _speaker_words(trailing.group("s") or trailing.group("t") or "", matcher)
        if who is not None:
            return who
    source = cited_source(sentence)
    if not source:
        return None
    at = sentence.find(source)
    if at <= m.start < at + len(source) or m.start <= at < m.end:
        return None  # the source found is the actor itself ("said Turkish army howitzers fired")
    return _speaker_words(source, matcher)


_OWN_MEN = re.compile(r"(?:[’']s|\))?\s+")
# a group's men in common words ("ADF rebels"), not another side's ("Turkish artillery coalition jets")
_MEN_WORDS = re.compile(
    r"(?:armed\s+)?(?:rebels?|militants?|fighters?|gunmen|insurgents?|jihadists?|terrorists?|guerrillas?|militiam[ae]n|"
    r"troops|soldiers|men|members|operatives|elements)"
)
# "the office said in a statement that blamed the gangs": the statement's author blames
_STATEMENT_THAT = re.compile(
    r"\b(?:statement|communiqu[eé]|release|post|message|letter|video|speech|briefing)\s+(?:that|which)\s*$",
    re.IGNORECASE,
)
# "police said they suspect ...": the pronoun is who said it
_SAID_PRONOUN = re.compile(
    r"\b(?:said|says|say|told|added|stated|believe[sd]?)\s+(?:that\s+)?(?:they|it|he|she|we)\s*$", re.IGNORECASE
)


# A name and the acronym it gives itself in brackets: "the Social Democratic Front (SDF)", "Reporters Without Borders
# (RSF)". Where the name is not the catalogue actor that acronym stands for, the report's acronym is that other body.
_DEFINED_ACRONYM = re.compile(
    r"(?P<name>(?:[A-Z][\w’'-]*\s+(?:(?:of|the|and|for|in|de|du|des|del|la|le|el|al|pour|et)\s+)*){1,8})"
    r"\((?P<acr>[A-Z][A-Za-z-]{1,7})\)"
)


class _WithoutWords:
    """An ActorMatcher that finds no mention written as one of `words` (and is the matcher in all else)."""

    def __init__(self, matcher: ActorMatcher, words: frozenset[str]):
        self._matcher = matcher
        self._words = words

    def __getattr__(self, name: str) -> object:
        return getattr(self._matcher, name)

    def mentions(self, text: str) -> list[ActorMention]:
        return [m for m in self._matcher.mentions(text) if m.words not in self._words]


def document_matcher(document: str, matcher: ActorMatcher) -> ActorMatcher:
    """Return the matcher to read `document` with: without the acronyms the document gives to bodies other than the
    catalogue actors they stand for ("the Social Democratic Front (SDF)" in a report from Cameroon is no Syrian
    Democratic Forces; "Reporters Without Borders (RSF)" no Rapid Support Forces)."""
    if "(" not in document:
        return matcher
    renamed = set()
    for m in _DEFINED_ACRONYM.finditer(document):
        acronym = m.group("acr")
        own = matcher.mentions(acronym)
        if len(own) != 1 or own[0].words != acronym:
            continue
        name = m.group("name")
        if all(n.actor != own[0].actor for n in matcher.mentions(name)) and not matcher.spells(name, own[0].actor):
            renamed.add(acronym)
    return _WithoutWords(matcher, frozenset(renamed)) if renamed else matcher  # type: ignore[return-value]


# What an outlet weighs itself, not a party that speaks: "Evidence points to", "Footage shows", "an analysis of the
# fragments"
_EVIDENCE_SPEAKER = re.compile(
    r"(?i:(?:the |an? |new |visual |available |photographic |video )*(?:evidence|analysis|footage|images?|imagery|"
    r"photos?|photographs|videos?|debris|fragments|remnants|wreckage))"
)
_ACCUSED_WORDS = re.compile(r"\b(?:accus\w*|blam\w*|alleg\w*)\b", re.IGNORECASE)


def perpetrator_hits(
    sentence: str,
    matcher: ActorMatcher,
    more: Callable[[str, list[ActorMention]], list[ActorMention]] | None = None,
) -> list[PerpetratorHit]:
    """Return the actors that `sentence` ties to the violence, with stance, cue and speaker; `more(sentence, found)`
    adds mentions of actors the matcher lacks (accord.claims.groups.UnlistedBands.mentions)."""
    hits = []
    found = [m for m in matcher.mentions(sentence) if not _news_agency(sentence, m)]
    if more is not None:
        found = sorted([*found, *more(sentence, found)], key=lambda m: m.start)
    # "Kurdish SDF troops", "M23 soldiers", "Allied Democratic Forces (ADF) rebels": generic words right after a name
    # are that actor's, not the state's nor a theatre's rebels
    found = [
        m
        for i, m in enumerate(found)
        if not (
            i
            and (
                m.actor in matcher.country_bound
                or (_MEN_WORDS.fullmatch(m.words) is not None and not found[i - 1].words.islower())
            )
            and found[i - 1].actor not in matcher.country_bound
            and _OWN_MEN.fullmatch(sentence, found[i - 1].end, m.start)
        )
    ]
    # "armed bandits of the so-called Islamic State in the Greater Sahara", "gunmen from La Línea": common words for the
    # group that follows
    for i in range(len(found) - 1, 0, -1):
        head, group = found[i - 1], found[i]
        if (
            (head.actor in matcher.generic or head.words.islower())
            and group.actor not in matcher.generic
            and not group.words.islower()
            and _OF_GROUP.fullmatch(sentence, head.end, group.start)
        ):
            found[i - 1 : i + 1] = [replace(group, start=head.start, words=sentence[head.start : group.end])]
    found = matcher.affiliates_named(sentence, matcher.forces_of_countries(sentence, found))
    subjects = (
        matcher.country_subjects(sentence, found)
        + matcher.demonym_arms(sentence, found)
        + matcher.country_objects(sentence, found)
    )
    if subjects:
        found = sorted([*found, *subjects], key=lambda m: m.start)
    mentions = [
        m
        for i, m in enumerate(found)
        if m.actor in matcher.generic
        or not _not_an_actor(sentence, m, found[i + 1].start if i + 1 < len(found) else -1)
        # a party that speaks to deny its deed or to give its own account of it is a side, not a source
        or _disputes(
            sentence,
            m.end,
            found[i + 1].start - m.end if i + 1 < len(found) else -1,
            sentence[max(0, m.start - 30) : m.start],
        )
    ]
    parties = list(dict.fromkeys(m.actor for m in mentions)) if len(mentions) >= 2 else []
    if len(parties) >= 2 and _MUTUAL_GUARD.may_match(sentence) and MUTUAL.search(sentence):
        first: dict[str, ActorMention] = {}
        for m in mentions:
            first.setdefault(m.actor, m)
        return [
            PerpetratorHit(first[a], "accused", "mutual", next(b for b in parties if b != a), True) for a in parties
        ]
    covered = 0  # the end of the last mention's bracket or appositive: a mention inside it is the same actor
    for i, m in enumerate(mentions):
        if m.start < covered:
            continue
        skip = _apposition_length(sentence, m.end)
        covered = m.end + skip
        kin = (
            tuple(
                dict.fromkeys(
                    n.actor
                    for n in found
                    if m.end < n.start < m.end + skip
                    and n.actor != m.actor
                    and not sentence.startswith(("-based", "-backed", "-linked"), n.end)  # a place or a backer
                    and _FRONT_OF_BEFORE.search(sentence, max(m.end, n.start - 60), n.start)
                )
            )
            if skip
            else ()
        )
        after_end = m.end + skip + 80
        # A cue after the actor belongs to it only up to the next actor ("rebels blamed Russian warplanes").
        following = [n for n in mentions[i + 1 :] if n.start >= m.end + skip]
        if following and following[0].start < after_end:
            after_end = following[0].start
        after = sentence[m.end + skip : after_end]
        before_start = max(0, m.start - 50)
        before = sentence[before_start : m.start]
        cue = None
        generic = m.actor in matcher.generic
        members = not generic and bool(
            _MEMBERS_OF_BEFORE.search(sentence, max(0, m.start - 90), m.start)
            # "the Gulshan attackers were JMB men": the group's
            or (
                (attackers_were := _ATTACKERS_WERE_BEFORE.search(before))
                and (
                    attackers_were.group("of")  # "the attackers were from Boko Haram"
                    or _MEN_AFTER.match(after)
                    or _FORCE_NOUN_END.search(m.words)  # "the killers were Eritrean soldiers"
                )
            )
            # "members of the Jaish al-Adl terrorist group attacked the post", "militants affiliated with Jaish
            # al-Adl attacked": its men, who attacked
            or (
                (_MEN_OF_BEFORE.search(before) or _LINKED_MEN_BEFORE.search(before))
                and not _RELATIVE_NEXT.match(after)
                and _active_verb_after(after)
            )
        )
        if (
            (not generic or _ONE_OF_A_FORCE.search(m.words))  # "a retired soldier was among the dead"
            and not members
            and (
                (
                    _VICTIM_BEFORE_GUARD.may_match(sentence, before_start, m.start)
                    and _VICTIM_BEFORE.search(before)
                    and not _BLAMED_ON_BEFORE.search(before)  # "blamed the attack on the Taliban": who is blamed
                )
                or (_VICTIM_AFTER.match(after) and not _KILLED_ATTACKING_AFTER.match(after))
                or _AMONG_THE_DEAD_AFTER.match(after)
                or (_DEFENDS_AFTER.match(after) and not ATTACKERS_KILLED.search(sentence))
                or _ENDS_SIEGE_AFTER.match(after)
                or _RESPONDED_AFTER.match(sentence[m.end + skip : m.end + skip + 160])
                or (
                    _STORMED_TO_END_AFTER.match(after)
                    and _STORMED_TO_END_BEFORE.search(sentence, max(0, m.start - 200), m.start)
                )
                or _ON_THE_ATTACKER.match(sentence[m.end + skip : m.end + skip + 120])
                or _POSING_AS_BEFORE.search(before)
                or bool(
                    (fired := _FIRED_ON_ATTACKER.match(sentence[m.end + skip : m.end + skip + 120]))
                    and (not fired.group("vehicle") or _ATTACKER_WORD.search(sentence))
                )
            )
        ):
            continue
        if _SPEAKS_FOR_BEFORE.search(before):
            # "said Colonel Pramote, a spokesman for the army's regional command": who speaks, not who did it; unless
            # the spokesman denies the deed for it ("A spokesman for the Tigrayan forces denied they had killed")
            if (
                not generic
                and _disputes(sentence, m.end + skip, following[0].start - m.end - skip if following else -1)
                == "denial"
            ):
                hits.append(PerpetratorHit(m, "denied", "denial", m.actor, True))
            continue
        if not generic and (
            _RESPONDER_BY.search(sentence, max(0, m.start - 160), m.start)
            or ((stopped := _PRONOUN_STOPPED.match(sentence)) is not None and stopped.start("by") <= m.start)
        ):
            continue  # "before he was shot dead by police": who stopped the attacker, not who attacked
        # a denial reads past a possessive actor ("disputes Israel's claim"), a counter-narrative past its target ("said
        # it attacked the army") up to the next actor that speaks before it
        disputes = _disputes(
            sentence,
            m.end + skip,
            following[0].start - m.end - skip if following else -1,
            sentence[max(0, m.start - 30) : m.start],
        )
        # "Hamas strongly denounced the bombing": the critic of the attack that follows, not its author
        critic = not generic and bool(_CRITIC_AFTER.match(after))
        if disputes:
            cue = disputes  # "Hezbollah disputes the claim", "our forces do not strike homes", "it only hit army posts"
        elif members:
            cue = "by"
        elif (
            not critic
            and _AFTER_WEAPON.match(after)
            and not _WEAPON_SAYS.match(after)
            and not _CLAIMS_NEXT.match(after)
        ) or _ALIAS_WEAPON.search(m.words):
            cue = "weapon"  # "Russian jets pounded", not "the Houthis claimed the attack" (a claim: the verb's)
        elif (
            _BY_GUARD.may_match(sentence, before_start, m.start)
            and _BY.search(before)
            and not (_FROM_BEFORE.search(before) and _WHERE_AFTER.match(after))
        ) or (hits and _CLASH_SECOND.search(sentence, max(0, m.start - 100), m.start)):
            cue = "by"
        elif "by " in sentence[max(0, m.start - 60) : m.start] and _LATE_BY.search(
            sentence, max(0, m.start - 260), m.start
        ):
            cue = "by"
        elif critic:
            pass
        elif (
            _AFTER_VERB_GUARD.may_match(sentence, m.end, after_end)
            and _active_verb_after(after)
            and not _CLAIMS_CLAUSE_NEXT.match(sentence, m.end + skip)
        ):
            cue = "verb"
        elif _SAYS_IT_DID.match(after):
            cue = "verb"  # "the Front says it carried out the raid": its own claim
        elif (
            _BEHIND_DEED.match(after)
            or _NAMED_AS_DOER.match(after)
            or _SUSPECT_AFTER.match(sentence[m.end :])
            or _KILLED_ATTACKING_AFTER.match(after)
        ):
            cue = "verb"  # a headline's "Police say gang behind Ambalangoda shooting"; "looking at X as the culprits"
        elif generic:
            cue = "generic"
        elif (
            any(h.mention.actor in matcher.generic for h in hits) or _ATTACKERS_BEFORE.search(before)
        ) and _IDENTIFIED_BEFORE.search(before):
            # "the gunman, identified as John Doe": the named man is the attacker; "the four attackers belonged to the
            # Pakistan-based Jaish-e-Mohammed": the group is theirs
            cue = "identified"
        if cue is None:
            rejected = _rejected_claim(sentence, m, before, after, matcher)
            if rejected:
                hits += rejected
            continue
        stance = "asserted"
        claims_of = bool(_CLAIMS_OF_BEFORE.search(before))
        rest = _RELATIVE.match(sentence, m.end + skip) if cue not in ("denial", "counter") else None
        denied_after = bool(rest) and _disputes(sentence, rest.end()) == "denial"
        if rest and cue == "verb" and not denied_after:
            # "The TTP, which has carried out many attacks in the northwest, said it had no involvement": the deed
            # describes the group; what follows the clause is what it says of this attack
            closing = sentence.find(",", rest.end())
            if closing > 0 and _disputes(sentence, closing) == "denial":
                hits.append(PerpetratorHit(m, "denied", "denial", m.actor, True))
                continue
        if (
            cue in ("denial", "counter")
            or (cue == "by" and _NEGATED_BY.search(sentence[max(0, m.start - 120) : m.start]))
            or (cue in ("verb", "weapon") and _DENIED_THAT_BEFORE.search(sentence, max(0, m.start - 60), m.start))
            or (cue == "weapon" and _NONE_BEFORE.search(sentence, max(0, m.start - 12), m.start))
        ):
            stance = "denied"
        elif (
            (_CLAIMED.search(after[:60]) and (cue == "verb" or members))
            or (cue == "by" and _CLAIMED_BY.search(before))
            or _SAYS_IT_DID.match(after)
        ):
            stance = "claimed"
        elif _DENIED.search(after[:60]) and not denied_after and not _REJECTED_OTHER_AFTER.match(after):
            stance = "denied"
        elif _ACCUSED.search(sentence[: m.start]) or claims_of:
            stance = "accused"
        if generic and stance == "denied":
            stance = "asserted"  # an unnamed attacker is no party that denies ("the gunman wasn't targeting anyone")
        speaker = speaker_of(sentence, m, stance, matcher)
        if speaker is not None and _EVIDENCE_SPEAKER.fullmatch(speaker):
            speaker = None  # "Evidence points to an errant Ukrainian missile": the outlet's own reading of it
            if stance == "accused" and not _ACCUSED_WORDS.search(sentence[: m.start]):
                stance = "asserted"
        if claims_of:
            # whose claim: the actor named right before it ("Houthi claims of Saudi shelling")
            owner = [n for n in found if n.end <= m.start and _CLAIMS_BETWEEN.fullmatch(sentence, n.end, m.start)]
            if owner:
                speaker = owner[-1].actor
        if stance == "asserted" and speaker == m.actor:
            stance = "claimed"  # the actor says it did it ("the army said its jets struck")
        relayed = stance == "asserted" and speaker is not None
        if relayed:
            stance = "accused"  # another party says the actor did it: its claim, not the report's own
        hits.append(PerpetratorHit(m, stance, cue, speaker, speaker in matcher.ids, relayed, kin))
        if denied_after:
            # "Freedonia blamed the Front, which denied any role": named by one party, denied by itself
            hits.append(PerpetratorHit(m, "denied", "denial", m.actor, True))
    if hits and " and " in sentence:
        hits = _joint_doers(sentence, hits, found, matcher)
    if hits and " or " in sentence:
        hits = _without_alternatives(sentence, hits, found, matcher)
    if any(h.stance == "denied" and h.speaker_is_actor for h in hits):
        hits = _counter_accusations(hits, matcher)
    if any(h.stance == "denied" for h in hits) and _HABITUAL_DENIAL.search(sentence):
        # "Moscow denies targeting civilians", "the army has repeatedly said it does not strike homes": a stock line of
        # the war's coverage, not an answer to this attack (unless the party says what it struck instead: "denied
        # attacking civilians and said it had fought fighters using the camp as a base")
        hits = [h for h in hits if h.stance != "denied" or h.cue == "counter"]
    if hits and UNCERTAIN.search(sentence) and not {h.mention.actor for h in hits} <= ONE_SIDE:
        return []
    return hits


def _counter_accusations(hits: list[PerpetratorHit], matcher: ActorMatcher) -> list[PerpetratorHit]:
    """Return `hits` with the actors that the sentence names after a party's denial, in no one's voice or a person's,
    made that party's accusation: "The OLA denied involvement; its spokesman said the killings were carried out by
    government soldiers", "Separatist leaders denied involvement and accused the Cameroonian military". The denier
    answers the accusation with its own."""
    out: list[PerpetratorHit] = []
    denier: PerpetratorHit | None = None
    for h in hits:
        if (
            denier is not None
            and h.mention.actor != denier.mention.actor
            and h.mention.actor not in matcher.generic
            # a state's denial speaks for its own forces in common words ("Damascus refuted the allegations, with an
            # army source saying the army had no chemical weapons")
            and not (h.mention.actor in matcher.country_bound and denier.mention.actor in matcher.states)
            and h.stance in ("asserted", "accused")
            and (h.speaker is None or h.speaker not in matcher.ids)
        ):
            h = replace(h, stance="accused", speaker=denier.mention.actor, speaker_is_actor=True, relayed=False)
        elif h.stance == "denied" and h.speaker_is_actor and h.speaker == h.mention.actor:
            denier = h
        out.append(h)
    return out


# One man of a force, acting alone or among the victims ("a former police officer", "an off-duty soldier"): a generic
# attacker where he acts, but a victim where the words say so, as a force would be
_ONE_OF_A_FORCE = re.compile(r"\b(?:former|ex|retired|off-duty|rogue|dismissed|sacked|reservist)\b", re.IGNORECASE)


# Two actors joined before one deed: "US and British strikes", "JNIM and Islamic State fighters attacked", "carried out
# by JNIM and the Islamic State" (not the sides of a clash: "fighting between the army and the RSF")
_JOINED_BEFORE = re.compile(r"(?P<name>\b[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?)\s+and\s+(?:the\s+)?$")
_JOINED_AFTER = re.compile(r"\s+and\s+(?:the\s+)?")
_SIDES_BEFORE = re.compile(r"\b(?:between|both|neither|either|not|nor|versus|vs\.?)\s+(?:the\s+)?$", re.IGNORECASE)
_TRADED_AFTER = re.compile(
    r"^(?:\s+\w+){0,3}?\s+(?:traded|exchanged|trade|exchange|blamed each other)\b", re.IGNORECASE
)


def _joint_doers(
    sentence: str, hits: list[PerpetratorHit], found: Sequence[ActorMention], matcher: ActorMatcher
) -> list[PerpetratorHit]:
    """Return `hits` with the actors joined to a named doer by "and" read as doers of the same deed, each the other's
    kin (naming either is one answer): "US and British strikes", "JNIM and Islamic State fighters attacked",
    "carried out by JNIM and the Islamic State". The first of the pair may be a bare country or people ("US and British
    strikes"): its state forces."""
    at = {h.mention.start: k for k, h in enumerate(hits)}
    out = list(hits)
    for k, h in enumerate(hits):
        m = h.mention
        if h.stance == "denied" or h.cue not in ("weapon", "verb", "by") or m.actor in matcher.generic:
            continue
        partner = None
        joined = _JOINED_BEFORE.search(sentence, max(0, m.start - 40), m.start)
        if joined and not (
            _SIDES_BEFORE.search(sentence, max(0, joined.start("name") - 60), joined.start("name"))
            or _TRADED_AFTER.match(sentence[m.end : m.end + 60])
        ):
            partner = next((n for n in found if n.end == joined.end("name")), None)
            if partner is None and h.cue == "weapon":
                partner = _bare_name_with_weapon(joined, m, matcher)
        elif (
            not joined
            and h.cue == "by"
            and (after := _JOINED_AFTER.match(sentence, m.end))
            and not _SIDES_BEFORE.search(sentence, max(0, m.start - 60), m.start)
        ):
            partner = next((n for n in found if n.start == after.end()), None)
        if partner is None or partner.actor == m.actor or partner.actor in matcher.generic:
            continue
        out[k] = replace(out[k], kin=(*out[k].kin, partner.actor))
        if partner.start in at:  # read as a doer already ("carried out by JNIM and the Front"): kin of this one
            j = at[partner.start]
            out[j] = replace(out[j], kin=(*out[j].kin, m.actor))
        else:
            at[partner.start] = len(out)
            out.append(replace(h, mention=partner, kin=(m.actor,), joint=True))
    return sorted(out, key=lambda h: h.mention.start)


def _bare_name_with_weapon(joined: re.Match[str], m: ActorMention, matcher: ActorMatcher) -> ActorMention | None:
    """Return the bare name `joined` found before another actor's weapon read with that weapon ("US and British
    strikes": "US strikes"), as a mention of the actor it then names, or None."""
    name = joined.group("name")
    probe = f"{name} {m.words.rsplit(' ', 1)[-1]}"
    actor = next((n.actor for n in matcher.mentions(probe) if n.start == 0 and n.end > len(name)), None)
    return ActorMention(joined.start("name"), joined.end("name"), actor, name) if actor else None


_EITHER_BEFORE = re.compile(r"(?P<name>\b[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?)\s+or\s+(?:the\s+)?$")
_OR_AFTER = re.compile(r"\s+or\s+(?:the\s+)?")


def _without_alternatives(
    sentence: str, hits: list[PerpetratorHit], found: Sequence[ActorMention], matcher: ActorMatcher
) -> list[PerpetratorHit]:
    """Return `hits` without the actors a sentence gives as alternatives ("carried out by US or Israeli jets",
    "claimed by ISIL or al-Qaeda"): the report does not know which of them did it. Allies stay ("Syrian government or
    Russian warplanes": one side either way), and so does a denial."""
    dropped: set[int] = set()
    for h in hits:
        m = h.mention
        if h.stance == "denied" or m.actor in matcher.generic:
            continue
        other = next((n for n in found if n.end < m.start and _OR_AFTER.fullmatch(sentence, n.end, m.start)), None)
        before = _EITHER_BEFORE.search(sentence, max(0, m.start - 40), m.start) if other is None else None
        if before and h.cue == "weapon":  # "Syrian or Russian jets": a bare people before another's weapon
            other = _bare_name_with_weapon(before, m, matcher)
        elif other is None and (after := _OR_AFTER.match(sentence, m.end)):
            other = next((n for n in found if n.start == after.end()), None)
        if (
            other is not None
            and other.actor != m.actor
            and other.actor not in matcher.generic
            and frozenset((m.actor, other.actor)) not in matcher.allies
        ):
            dropped.update((m.start, other.start))
    return [h for h in hits if h.mention.start not in dropped or h.stance == "denied"]


# The attacker stopped, by whoever follows: "before he was shot dead by a police officer", "the gunman was killed by
# security forces", "the suspect was arrested by", "killed three and was shot by police"; not victims ("they were shot
# by Hamas captors": a pronoun counts only after "before", "until", "when", "after", "and", "but").
_RESPONDER_BY = re.compile(
    # "Soldier who killed 29 shot dead by security forces"
    r"\bwho\s+(?:had\s+)?(?:killed|shot|murdered|stabbed)\s+(?:[\w’'-]+\s+){0,4}?(?:was\s+|is\s+)?(?:shot dead|shot|"
    r"killed|gunned down|neutrali[sz]ed|arrested|captured)\s+by\s+(?:the\s+)?$|"
    r"\b(?:(?:before|until|when|after|and|but)(?:\s+(?:he|she|they)|(?=\s+(?:was|were|had been)\b))|(?:the|all|[\w-]+) (?:gunman|gunmen|shooter|shooters|attacker|attackers|assailant|assailants|suspect|suspects|"
    # ... past an apposition ("The suspect, identified as Gabriel Wortman, was shot dead by police")
    r"bomber|bombers|perpetrator|perpetrators|militants?|terrorists?))(?:\s*,[^,]{1,80},)?\s+"
    r"(?:was|were|had been|has been|have been)?\s*"
    r"(?:\w+\s+)?(?:shot|shot dead|shot and killed|killed|gunned down|neutrali[sz]ed|subdued|arrested|detained|"
    r"apprehended|captured|taken into custody)\s+(?:\w+\s+)?by\s+(?:the\s+|an?\s+)?(?:[\w’'-]+\s+){0,2}$"
    r"|\bbefore being\s+(?:shot|shot dead|killed|gunned down|neutrali[sz]ed|subdued|arrested|detained|captured)\s+by\s+"
    r"(?:the\s+|an?\s+)?(?:[\w’'-]+\s+){0,2}$",
    re.IGNORECASE,
)


# "He was killed by police in a shootout shortly afterward": the attacker the sentence before told of, stopped
_PRONOUN_STOPPED = re.compile(
    r"^(?:he|she)\s+(?:was|had been)\s+(?:later\s+|then\s+|eventually\s+)?(?:shot|shot dead|killed|gunned down|"
    r"neutrali[sz]ed)\s+by\s+(?:the\s+)?(?P<by>police|officers|security forces|guards|troopers|border police)\b"
    r"[^.]*\b(?:shoot-?out|exchange of fire|gunfight|afterwards?|shortly after|moments later|at the scene)\b",
    re.IGNORECASE,
)


# What an appositive says a group is of another: "a shadow outfit of", "a front for", "a proxy of"
_FRONT_OF_BEFORE = re.compile(
    r"\b(?:front|proxy|shadow (?:outfit|group|organi[sz]ation)|offshoot|cover|new name|another name|affiliate|wing|"
    r"branch|splinter(?: group)?|faction)\s+(?:of|for)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}$",
    re.IGNORECASE,
)


# An appositive or a bracket between an actor and its verb ("the Balochistan Liberation Army (BLA), an ethnic separatist
# group, has claimed ..."; "a separatist group, the X, claimed ..."): the verb is the actor's.
_APPOSITION = re.compile(
    # the parent's affiliate acts ("Islamic State's Afghan affiliate claimed"; the catalogue resolves the parent to its
    # affiliate in the report's country, accord.claims.actors.resolve_generic)
    r"(?:[’']s\s+(?:(?-i:[A-Z])[\w’'-]*\s+){0,3}(?:affiliate|branch|franchise|wing|offshoot|arm|province)\b)?"
    r"(?:-(?:linked|backed|affiliated|allied|aligned|inspired|led|run)\b)?"
    # what the group is, said after its name: "the M23 rebel group denied", "the Houthi rebel movement said", "the Viv
    # Ansanm gang coalition stormed" (not the US-led coalition's alias "coalition"; "Turkish artillery coalition jets"
    # are two sides)
    r"(?:\s+(?:(?:rebel|militant|jihadist|armed|paramilitary|separatist|insurgent|militia|guerrilla|extremist|"
    r"Islamist|gang|criminal|terrorist)\s+)?(?:group|movement|organi[sz]ation|outfit|faction|alliance|coalition|federation)\b"
    rf"(?![\s-]+{_WEAPON}))?"
    r"(?:\s*\([^()]{0,40}\)|\))?(?:\s*,\s*(?:an?|the|which|who|whom|whose|(?:also\s+)?known\s+as|also\s+called|(?:led|headed|founded|commanded|run)\s+by)\s+[^,;.()]{1,90}(?:\([^()]{0,40}\)[^,;.()]{0,40})?,|\s*,(?=\s+(?:has|have|had|was|"
    r"were|is|are)?\s*(?:\w+ed|behind|responsible)\b))?"
)


def _apposition_length(sentence: str, at: int) -> int:
    m = _APPOSITION.match(sentence, at, at + 160)
    return m.end() - at if m else 0


# Words between an actor and its verb that change nothing: auxiliaries, adverbs, a time or a channel ("the Kremlin on
# Monday denied", "the group, in a statement, rejected").
_FILLER = (
    r"(?:(?:has|had|have|also|later|earlier|again|then|since|\w+ly|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|\w+ \d{1,2})|"
    r"in (?:a|an|its|their) (?:[\w-]+ ){0,2}?(?:statement|post|message|interview|briefing))\s*,?\s+)*"
)
_DENIAL_AFTER = re.compile(
    # "the Tigray Defence Forces (TDF) have dismissed as \"fabricated propaganda\" allegations by ... that"
    rf"^\)?\s*,?\s+{_FILLER}(?:dismissed|dismisses|rejected|rejects)\s+as\s+(?:[\"“][^\"”]{{1,40}}[\"”]|"
    r"(?:[\w-]+\s+){1,3}?)\s*(?:accusations?|allegations?|claims?|reports?|charges?)\b|"
    # "denied they had killed civilians", "denies that its fighters carried out the attack"
    rf"^\)?\s*,?\s+{_FILLER}(?:denied|denies|deny|denying)\s+(?:that\s+)?(?:it|they|(?:its|their)\s+[\w-]+)\s+"
    r"(?:had\s+|has\s+|have\s+|was\s+|were\s+|did\s+)?(?:been\s+)?(?:killed|kill|carried|carry|attacked|attack|targeted|"
    r"target|struck|strike|involved|responsible|behind|fired|fire|shot|shoot|bombed|bomb|shelled|massacred)\b|"
    rf"^\)?\s*,?\s+{_FILLER}(?:denied|denies|deny|denying|"
    r"rejected|rejects|disowned|disowns|dismissed|dismisses|disputed|disputes|dispute|contested|contests|refuted|"
    r"refutes)\s+(?:any\s+|all\s+|the\s+|its\s+|having\s+|(?:[\w-]+[’']s\s+))?(?:[\w-]+\s+)?"
    r"(?:involvement|responsibility|role|part|being|carrying|it|that|claims?|accusations?|allegations?|charges?|"
    r"reports?|blame|culpability|links?|account|version|narrative)\b|"
    # the verb ends the clause: "a charge the Front denied.", "which Sylvania denies, saying ..."
    rf"^\s*,?\s+{_FILLER}(?:denied|denies|deny|rejected|rejects|disputed|disputes|disputes it)\s*(?:[.,;:)\"”]|$|"
    r"\s+(?:and|but|on|in)\b)|"
    # "the Front said the accusations were baseless", "called the allegations lies"
    # ... "calls Kiev's claims about Kramatorsk station strike a provocation"
    rf"^\s*,?\s+{_FILLER}(?:says?|said|called|calls|described|insist(?:s|ed)?|stated)\s+(?:that\s+)?(?:the|these|such|"
    r"those|all|[\w-]+[’']s)\s+(?:[\w-]+\s+)?(?:accusations?|allegations?|claims?|charges?|reports?)\s+"
    r"(?:(?:about|of|over|on|regarding)\s+(?:[\w’'-]+\s+){1,5}?)?(?:(?:were|are|was|is|as)\s+)?"
    r"(?:\w+ly\s+)?(?:baseless|false|lies|untrue|fabricated|unfounded|groundless|propaganda|fake|a lie|fabrications?|"
    r"an? (?:\w+\s+)?provocation|provocations?|slander(?:ous)?|disinformation|staged)\b|"
    # "the group issued a rare denial", "released a statement denying"
    rf"^\s*,?\s+{_FILLER}(?:issued|released|put out|made)\s+(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?(?:denial|rebuttal|"
    r"statement (?:denying|rejecting))\b|"
    # "the army said it was not involved", "insists it had nothing to do with the blast"
    # ... "said in a statement that it had no involvement"
    rf"^\s*,?\s+{_FILLER}(?:says?|said|insist(?:s|ed)?|maintain(?:s|ed)?|stated)\s+"
    r"(?:(?:in|on|via|through)\s+(?:[\w’'-]+\s+){1,5}?(?=that\b))?(?:that\s+)?(?:it|they|its (?:[\w-]+\s+)?"
    r"(?:forces|troops|fighters|men|jets|aircraft))\s+(?:was|were|is|are|had|has|have|did|does|do)\s+"
    r"(?:not|never|no|nothing)\b(?:\s+\w+)?\s+(?:involved|responsible|behind|to do with|carry|carried|conduct|"
    r"target|targeted|strike|struck|attack|attacked|fire|fired|hit|bomb|bombed|role|part|involvement|order|ordered)\b",
    re.IGNORECASE,
)
# A denial phrased as a statement of what the actor does not do: "our forces do not strike residential buildings",
# "the army never targets civilians", "X did not carry out the attack".
_NEGATED_DEED = re.compile(
    rf"^\s*,?\s+{_FILLER}(?:do|does|did|would|will|has|have|had|is|are|was|were)?\s*(?:not|never|n[’']t)\s+"
    r"(?:\w+ly\s+)?(?:strike|strikes|target|targets|aim|aims|attack|attacks|bomb|bombs|shell|shells|fire|fires|hit|"
    r"hits|kill|kills|carry out|carried out|conduct|conducted|launch|launched|behind|involved|responsible|"
    r"targeting|striking|attacking|killed|killing|attacked|targeted|struck|bombed|shelled|fired|massacred|engaged)\b"
    # "the Taliban had nothing to do with attacks on civilians", "played no part in the bombing"
    rf"|^\s*,?\s+{_FILLER}(?:had|has|have)\s+(?:absolutely\s+)?nothing\s+to\s+do\s+with\b"
    rf"|^\s*,?\s+{_FILLER}(?:had|has|have|played|plays|play)\s+no\s+(?:role|part|hand)\s+in\b",
    re.IGNORECASE,
)
# The accused's own account that it struck fighters, not the people the reports count: "the RSF said it only targeted
# army positions", "claiming that they targeted three camps of militants", "which the military said targeted
# insurgents". A counter-narrative, not a claim of the massacre the story reports.
_MILITARY_TARGET = (
    r"(?:army|military|positions?|camps?|bases?|posts?|barracks|fighters|militants|militias?|terrorists|insurgents|"
    r"rebels|troops|soldiers|forces|targets|gunmen|combatants|elements|enemy|hideouts?|strongholds?|command posts?|"
    r"headquarters|commanders|servicemen|personnel|depots?|military facilit(?:y|ies))"
)
_COUNTER = re.compile(
    r"^[^.;]{0,60}?\b(?P<say>said|says|saying|claim(?:ed|ing|s)?|insist(?:ed|s|ing)?|maintain(?:ed|s|ing)?|stat(?:ed|es|ing))"
    r"\b(?:[^.;]{0,60}?\bthat)?\s+(?:(?:it|they|its (?:[\w-]+\s+)?(?:forces|fighters|troops|units|men|jets|aircraft))\s+)?"
    r"[“\"']?(?:had\s+|has\s+|have\s+)?(?:only\s+|just\s+|merely\s+)?(?:targeted|attacked|struck|hit|raided|stormed|"
    r"shelled|bombed|fired (?:at|on)|engaged|repelled|fought(?: against)?|clashed with|battled)\s+[“\"']?"
    r"(?:[\w’'-]+\s+){0,4}?"
    rf"{_MILITARY_TARGET}\b",
    re.IGNORECASE,
)
# "the army said those killed were militants": the dead were fighters, not the civilians the reports count
_DEAD_WERE_FIGHTERS = re.compile(
    r"^[^.;]{0,60}?\b(?P<say>said|says|saying|claim(?:ed|ing|s)?|insist(?:ed|s|ing)?|maintain(?:ed|s|ing)?)\s+(?:that\s+)?"
    r"(?:those|the|all|most)\s+(?:\w+\s+)?(?:killed|dead|victims|targeted)\s+(?:\w+\s+)?(?:were|was|had been)\s+"
    r"(?:all\s+|only\s+|mostly\s+)?(?:[\w-]+\s+)?(?:militants|fighters|terrorists|insurgents|combatants|rebels|gunmen|"
    r"soldiers|members)\b",
    re.IGNORECASE,
)
# "the army said fighters used villagers as human shields": the victims' deaths blamed on the other side
_SHIELDS = re.compile(
    r"^[^.;]{0,140}?\b(?P<say>said|says|saying|claim(?:ed|ing|s)?|insist(?:ed|s|ing)?|accus(?:ed|es|ing))\b[^.;]{0,80}?"
    r"\b(?:used|using|use) (?:the )?(?:civilians|children|residents|villagers|people|locals|population) as "
    r"(?:an? )?[“\"']?(?:human )?shields?\b",
    re.IGNORECASE,
)


# An actor that condemns, mourns or praises the attack speaks of it: "the group strongly denounced the bombing as ...",
# "Hamas praised the attack but did not claim it".
_CRITIC_AFTER = re.compile(
    r"^(?:[\s-]+(?:spokes\w+|officials?|leaders?|leadership|government|authorities|ministry|statement|chief|commander))?"
    rf"\s*,?\s+{_FILLER}(?:condemn|denounc|decr(?:y|ie)|deplor|criticis|criticiz|lament|mourn|slam|"
    r"prais|hail|welcom|celebrat|laud|applaud)\w*\b",
    re.IGNORECASE,
)
# A denial that is the war's stock line, not an answer about this attack: said again and again ("repeatedly denied",
# "has long denied", "denies targeting civilians in the war"), or of harming civilians in general with no word of a
# particular attack.
_HABITUAL_DENIAL = re.compile(
    r"\b(?:repeatedly|routinely|consistently|regularly|always|has long|have long|frequently|systematically|"
    r"in the past|previously)\b"
    r"|\b(?:throughout|during|in|since the (?:start|beginning) of) (?:the|its) (?:war|conflict|invasion|campaign)\b"
    r"|^(?!.*\b(?:the|this|that|its|their|an?|\w+day[’']s|yesterday[’']s|latest|deadly)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attacks?|bombings?|blasts?|explosions?|strikes?|airstrikes?|raids?|massacre|shelling|shootings?|killings?|"
    r"assault|incident|rocket|missile|tragedy)\b)(?!.*\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|today|responsibility|involvement|had\s+(?:not\s+)?(?:killed|targeted|attacked|struck|hit|bombed))\b)"
    r".*\b(?:target\w*|attack\w*|strik\w*|hit\w*|kill\w*|bomb\w*)\s+"
    r"(?:\w+\s+)?civilians\b",
    re.IGNORECASE | re.DOTALL,
)
# how far after an actor its denial or counter-narrative is read
_DISPUTE_SPAN = 260
# (the comma may be an apposition's, already read past: "The Pakistani Taliban, known as the TTP, which ...")
_RELATIVE = re.compile(r"\s*(?:,\s*)?(?:(?:also\s+|better\s+)?known\s+as\s+[^,]{1,60},\s*)?(?:which|who)\b")
# "there is no indication that the strike was carried out by X", "the attack was not carried out by X"
# "The government has denied that security forces used lethal weapons": the deed denied, by the actor's own side
_DENIED_THAT_BEFORE = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|refuted|refutes|disputed|disputes)\s+(?:claims\s+|reports\s+|"
    r"allegations\s+|accusations\s+)?that\s+(?:its\s+|their\s+|the\s+|his\s+|her\s+)?(?:[\w’'-]+\s+)?$",
    re.IGNORECASE,
)
_NEGATED_BY = re.compile(
    r"\b(?:no (?:indication|evidence|sign|proof)\b[^.;]{0,50}?|(?:was|were|is|are|been)\s+not\s+)(?:carried out|"
    r"conducted|launched|fired|caused|committed|perpetrated)\s+by\s+(?:the\s+|an?\s+)?(?:[\w’'-]+\s+){0,2}$|"
    # "killed in a stampede, and not by fire from Israeli troops"
    r"\bnot\s+(?:by|from)\s+(?:the\s+)?(?:(?:fire|shots?|gunfire|shooting|strikes?|shelling)\s+(?:from|of|by)\s+)?"
    r"(?:the\s+)?(?:[\w’'-]+\s+){0,2}$",
    re.IGNORECASE,
)


_CONTRAST_BEFORE = re.compile(r"\b(?:while|whereas|but|however|though|although)\s*,?\s+(?:the\s+)?$", re.IGNORECASE)
# ... before its verb of saying ("acknowledged operations, but said"), in what it says ("it only targeted"), or just
# after ("... but did not report any civilian casualties", "fighters, not civilians"); a "but" of the reporter's after
# the party's words ("but gave no evidence") sets nothing against the accusation
_CONCEDED = re.compile(r"\b(?:acknowledg\w*|admit\w*|conced\w*|but|however|although|though)\b", re.IGNORECASE)
_CONTRAST = re.compile(
    r"\b(?:only|merely|solely|acknowledg\w*|admit\w*|no civilians?|not civilians|"
    r"(?:did|does|do) not (?:report|mention|cause|harm|target) (?:any )?civilian|"
    r"(?:denied|denies|denying) (?:attacking|targeting|striking|hitting|killing|harming) (?:any )?civilians)\b",
    re.IGNORECASE,
)


# A group named by what it is, at the start of a clause: "The group denied any role", "while the militant
# organisation said it only targeted army posts". It is the group the report named last (accord.claims.extractor).
_GROUP_WORDS = re.compile(
    r"(?:^|[;:]\s*|,\s*(?:while|but|and|whereas)\s+|\b(?:while|but|whereas|however,?)\s+)"
    r"(?P<g>the (?:[\w-]+\s+){0,2}?(?:group|militia|movement|organi[sz]ation|paramilitary|paramilitaries|outfit|"
    r"faction|insurgents|militants|rebels))\b",
    re.IGNORECASE,
)


_GROUP_GUARD = Guard(_GROUP_WORDS)
# A sentence whose subject is a pronoun: "It accused Kyiv of using civilians as a human shield" after "Russia's defence
# ministry said it struck a meeting of commanders". The pronoun is the previous sentence's subject (extractor).
_PRONOUN_SUBJECT = re.compile(r"^\s*[“\"']?(?P<g>It|They)\b(?!\s+(?:is|was|were|are|has been|had been|remains)\b)")


_PRONOUN_SPEAKS = re.compile(
    r"^\s*[“\"']?(?:It|They)\s+(?:also\s+|later\s+|further\s+|then\s+)?(?:said|says|accused|accuses|blamed|blames|"
    r"claimed|claims|denied|denies|insisted|insists|maintained|maintains|added|stated)\b"
)


def pronoun_speaks(sentence: str) -> bool:
    """Whether `sentence` is what "It" or "They" (the previous sentence's subject) says or whom it accuses."""
    return bool(_PRONOUN_SPEAKS.match(sentence))


def pronoun_dispute(sentence: str) -> tuple[int, int, str, str] | None:
    """Return where a sentence whose subject is "It" or "They" denies the deed or gives a counter-narrative (start, end,
    words, "denial" or "counter"), else None."""
    m = _PRONOUN_SUBJECT.match(sentence)
    if not m:
        return None
    kind = _disputes(sentence, m.end("g"), -1, "")
    return (m.start("g"), m.end("g"), m.group("g"), kind) if kind else None


def group_dispute(sentence: str) -> tuple[int, int, str] | None:
    """Return where a group named by what it is ("the group", "the militia") denies the deed or gives its
    counter-narrative in `sentence` (start, end, words), else None."""
    for m in _GROUP_GUARD.finditer(sentence):
        # "the rebels, whom the UN says Rwanda backs, denied the charge": the words after the clause about them
        at = m.end("g") + _apposition_length(sentence, m.end("g"))
        if _disputes(sentence, at, -1, sentence[max(0, m.start("g") - 30) : m.start("g")]):
            return m.start("g"), m.end("g"), m.group("g")
    return None


_DENIAL_GUARD, _NEGATED_GUARD, _COUNTER_GUARD = Guard(_DENIAL_AFTER), Guard(_NEGATED_DEED), Guard(_COUNTER)
_DEAD_GUARD = Guard(_DEAD_WERE_FIGHTERS)


def _disputes(sentence: str, at: int, next_actor: int = -1, before: str = "") -> str | None:
    """Return "denial" when the words of `sentence` from `at` (after an actor) deny its deed, "counter" when they give
    its counter-narrative (it struck fighters, not the victims reported), else None. `next_actor` is where the next
    actor starts, counted from `at` (-1: none): a counter-narrative whose verb of saying comes after it is that
    actor's; `before` is the text before the actor. A party that claims responsibility disputes nothing."""
    end = at + _DISPUTE_SPAN
    after = sentence[at:end]

    def found(guard: Guard) -> re.Match[str] | None:
        return guard.pattern.match(after) if guard.may_match(sentence, at, end) else None

    if found(_DENIAL_GUARD) or found(_NEGATED_GUARD):
        return "denial"
    shields = (_SHIELDS.match(after) if "hield" in after else None) or found(_DEAD_GUARD)
    counter = shields or found(_COUNTER_GUARD)
    if not counter or (next_actor >= 0 and counter.end("say") > next_actor) or _CLAIMED.search(sentence):
        return None
    # set against the accusation: "while the Front said ...", "acknowledged ... but said it only ...", "did not report
    # any civilian casualties"; a party's plain account of a strike on fighters ("the army said it targeted
    # positions") is its claim
    if (
        shields
        or _CONTRAST_BEFORE.search(before)
        or _CONCEDED.search(after, 0, counter.start("say"))
        or _CONTRAST.search(after, 0, counter.end() + 80)
    ):
        return "counter"
    return None


_SAYS_IT_DID = re.compile(
    # "... by al-Shabab, which has said it carried out the attack": the relative clause is the group's claim
    # ... and an apposition's name: "The Islamic State group's regional branch, IS-K, said it carried out the attack"
    r"^(?:\s*,\s*(?:which|who)\b|\s*,)?"
    rf"\s+(?:has\s+|have\s+)?(?:says?|said|announced|stated|admitted|acknowledged|claim(?:s|ed)?(?=\s+(?:its|their)\b))\s+{_CHANNEL}(?:that\s+)?(?:it|they|"
    rf"its (?:[\w-]+\s+)?(?:fighters|forces|men|members|militants|troops|units|jets|aircraft|drones|warplanes|"
    rf"helicopters|artillery|operations?|strikes|raids))\s+"
    # where and when ("its air operations in Ulang County on Saturday targeted")
    r"(?:(?:in|on|at|near|over|around)\s+(?:[\w’'-]+\s+){1,3}?){0,2}"
    rf"(?:had\s+|has\s+|have\s+|was\s+|were\s+)?{_VERB}\b",
    re.IGNORECASE,
)
# ... and messages left at the scene signed by a group ("banners signed by the Jalisco New Generation Cartel")
_CLAIMED_BY = re.compile(
    r"\bclaimed\s+(?:[\w’'-]+\s+){0,2}?by\s+(?:[\w’'-]+\s+){0,3}$|"
    r"\b(?:banners?|messages?|notes?|signs?|narco-?(?:messages?|banners?)|placards?|leaflets?)\s+(?:[\w’'-]+\s+){0,6}?"
    r"signed\s+by\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# The attackers said to be a group's men: "police said the attackers belonged to a cell of the BLA", "the gunmen were
# members of the Front", "carried out by a column of the MPCP", "linked the attack to a cell of the BRN's armed wing",
# "they suspect insurgents of the RKK" (the group is who did it, not the victims "members of" it)
_MEMBERS_OF_BEFORE = re.compile(
    r"(?:\b(?:attackers?|assailants?|gunm[ae]n|shooters?|bombers?|perpetrators?|killers?|suspects?)\s+(?:\w+\s+){0,3}?"
    r"(?:belong(?:ed|s|ing)?\s+to|(?:were|was|are|is)\s+(?:all\s+)?(?:(?:members?|part|fighters|militants)\s+of|"
    rf"(?:linked|affiliated|tied)\s+(?:to|with)))\s+(?:{_UNIT_OF}|the\s+|an?\s+)?"
    # "carried out on Tuesday, September 17, by the jihadists of ..."
    rf"|\b(?:(?:carried out|committed|perpetrated|attacked|ambushed|killed|shot|staged|launched)(?:\s+[\w,]+){{0,5}}?\s+by|"
    rf"{ATTRIBUTED_TO}|{POINTS_TO}|blam(?:ed|es|ing)\s+(?:it|the\s+\w+)\s+on)\s+{_UNIT_OF}"
    rf"|\b(?:they|police|officials|authorities|investigators)\s+suspect(?:s|ed)?\s+(?:{_UNIT_OF}|the\s+)?"
    rf"|{CLASH_BETWEEN}\s+{_UNIT_OF})$",
    re.IGNORECASE,
)
_MEN_OF_BEFORE = re.compile(rf"\b{_UNIT_OF}$", re.IGNORECASE)
_ATTACKERS_WERE_BEFORE = re.compile(
    r"\b(?:attackers?|assailants?|gunm[ae]n|shooters?|bombers?|perpetrators?|killers?)\s+(?:\w+\s+){0,3}?"
    r"(?:were|was|are|is|(?:were\s+|was\s+)?identified\s+(?:themselves\s+)?as|(?:described|presented|introduced)\s+"
    r"themselves\s+as)\s+(?:all\s+)?(?P<of>members\s+of\s+|from\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_MEN_AFTER = re.compile(
    r"^(?:[’']s)?\s+(?:men|members|militants|fighters|operatives|cadres|activists|jihadists)\b", re.IGNORECASE
)
_FORCE_NOUN_END = re.compile(
    r"\b(?:soldiers|troops|forces|militiam[ae]n|militias?|fighters|militants|rebels|gunmen|insurgents|jihadists|"
    r"paramilitaries|police(?:men)?|officers)$",
    re.IGNORECASE,
)
_LINKED_MEN_BEFORE = re.compile(
    r"\b(?:militants|gunm[ae]n|fighters|terrorists|insurgents|rebels|attackers?|assailants?|jihadists|bandits|elements|"
    r"men|(?:suicide\s+)?bombers?|leaders?|commanders?|spokesm[ae]n|chiefs?)"
    r"\s+(?:affiliated|linked|loyal|tied|belonging|connected)\s+(?:to|with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_RELATIVE_NEXT = re.compile(r"\s*,?\s*(?:who|which|that|whom)\b", re.IGNORECASE)
# The attackers named by what they did, not by who they are, before what identifies them (_IDENTIFIED_BEFORE)
_ATTACKERS_BEFORE = re.compile(
    r"\b(?:attackers?|assailants?|terrorists?|militants?|bombers?|raiders|infiltrators|perpetrators?|culprits?)\b"
    r"[^.;:!?]{0,60}$",
    re.IGNORECASE,
)
_IDENTIFIED_BEFORE = re.compile(
    r"\b(?:identified (?:\w+ ){0,2}as|named|called|named as|self-identified as|(?:suspected|believed|thought) to be)\s+"
    r"(?:(?:an?|the)\s+)?(?:[\w’'-]+\s+){0,4}"
    r"?(?:[\w’'-]+,\s+)?$|"
    # "the armed men who murdered 11 ... belong to a local cell of the Santa Rosa de Lima Cartel"
    r"\b(?:belong(?:s|ed|ing)?\s+to|(?:is|was|are|were)\s+(?:all\s+)?(?:members?|part)\s+of)\s+(?:(?:an?|the)\s+)?"
    r"(?:[\w’'-]+\s+){0,2}?(?:(?:cell|cells|faction|wing|unit|branch|group)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
