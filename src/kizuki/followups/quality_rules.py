# ruff: noqa: E501, RUF001, RUF002 - bilingual prose, one message per line; Japanese punctuation is full-width
"""The built-in rules of the quality check: the anti-patterns Mirrativ lists (seed 004) for
measures that look like prevention but are not, in Japanese and English.

Each rule is data: the patterns that raise it, the patterns that excuse it (a mechanism named:
a checklist, a procedure step, CI, a test, an alert, automation), and its explanation in both
languages, the same shape as the rules admins add (models.QualityRule). Several rules may share
a code; a follow-up gets each code once. The texts are matched after NFKC normalisation and
lower-casing, so full-width letters (ＣＩ) and capitals match too."""

import re
from dataclasses import dataclass, field

PROBLEM = "problem"
WARNING = "warning"


def _en(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """English patterns: `\\b` and `\\w` count ASCII only, so a word is found next to Japanese
    text too ("Lintで" holds the word "lint")."""
    return tuple(re.compile(pattern, re.ASCII) for pattern in patterns)


def _ja(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


@dataclass(frozen=True)
class Rule:
    code: str
    level: str
    patterns: tuple[re.Pattern[str], ...]
    message_en: str
    message_ja: str
    unless: tuple[re.Pattern[str], ...] = field(default=())


# A mechanism named: what turns "be careful" into something that works without memory.
MECHANISM = _en(
    r"\bcheck ?-?lists?\b",
    r"(?<![a-z])ci(?![a-z])",
    r"\bcontinuous integration\b",
    r"\bpipelines?\b",
    r"\bautomat\w*",
    r"\b(unit|integration|regression|e2e|end-to-end|contract|load|smoke|automated|canary) tests?\b",
    r"\b(add|write|introduce|create|run)s?( \w+){0,3} tests?\b",
    r"\blint\w*\b",
    r"\bstatic analysis\b",
    r"\btype[- ]?check\w*\b",
    r"\bpre-?commit\b",
    r"\bhooks?\b",
    r"\b(add|create|set up|introduce|configure)\w*( \w+){0,3} (alerts?|alarms?|monitors?)\b",
    r"\bdashboards?\b",
    r"\b(runbook|playbook)s?\b",
    r"\bscripts?\b",
    r"\btemplates?\b",
    r"\bvalidat\w*\b",
    r"\bguard ?rails?\b",
    r"\bfeature flags?\b",
    r"\bdry-?run\b",
    r"\b(procedure|runbook|checklist|release) (step|item)s?\b",
    r"\bstep (to|in) the (procedure|runbook|checklist|release process)\b",
) + _ja(
    r"手順書",
    r"手順(に|へ)(追加|追記|組み込|盛り込|入れ)",
    r"チェックリスト",
    r"(チェック|確認|検証)項目",
    r"自動(化|で|的|チェック|テスト|検出|検知|停止|ロールバック)",
    r"テスト",
    r"リンター|静的解析",
    r"型(で|チェック|レベル|安全)",
    r"アラート(を|の)(追加|設定|作成|新設)",
    r"監視(を|の)?(追加|設定|導入|強化)",
    r"スクリプト",
    r"テンプレート",
    r"仕組み",
    r"ダッシュボード",
    r"バリデーション",
    r"(pr|プルリクエスト)の?(テンプレート|項目)",
    r"フック",
    r"ランブック",
    r"カナリア",
    r"フィーチャーフラグ",
    r"ガードレール",
)

VAGUE_EN = (
    "It asks people to be more careful but names no mechanism. Vigilance runs out, and if it "
    "happens again the retrospective can only say 'we did not check enough' once more. "
    "Rewrite it as something that works without memory: a checklist item or a procedure step "
    "(say which), an automated check in CI, a test, or an alert."
)
VAGUE_JA = (
    "注意や確認を強めるよう求めていますが、仕組みが書かれていません。注意力はいずれ途切れ、"
    "再発しても「確認が足りなかった」と同じ振り返りしかできません。"
    "記憶に頼らずに働く形に書き直してください。たとえば、チェックリストの項目や手順書の手順"
    "（どこに何を足すか）、CIでの自動チェック、テスト、アラートです。"
)
SILENCING_EN = (
    "It makes the signal stop, not the problem: suppressing errors or alerts, raising a "
    "threshold or ignoring an exception does not remove the user impact and makes the next "
    "failure slower to notice. Rewrite it to fix the cause, or to make the alert more precise "
    "(alert on user impact), and say how you will know users are no longer affected."
)
SILENCING_JA = (
    "問題ではなく通知を止める対策になっています。エラーやアラートの抑制、閾値の引き上げ、"
    "例外の握りつぶしではユーザー影響は消えず、次の不具合に気づくのも遅れます。"
    "原因を直す対策か、アラートをより正確にする対策（ユーザー影響にもとづくアラート）に"
    "書き直し、ユーザーへの影響がなくなったことをどう確かめるかも書いてください。"
)
PUNITIVE_EN = (
    "It punishes people or slows development for its own sake: an approval gate held by one "
    "person, a ban or a freeze, an apology or a penalty. It makes people hide mistakes and "
    "costs the value you want to deliver, without making the failure less likely. Rewrite it "
    "as a change to the system: an automated check, a safer default, a guard that blocks only "
    "the dangerous case."
)
PUNITIVE_JA = (
    "罰則的、または必要以上に開発を遅くする対策になっています（一人の承認を必須にする、"
    "禁止や凍結、始末書や罰則など）。ミスを隠す心理を生み、本来届けたい価値を損ないますが、"
    "障害の起こりにくさは変わりません。自動チェック、安全な既定値、危険な場合だけを止める"
    "ガードなど、システムの側を変える対策に書き直してください。"
)
OVER_HEAVY_EN = (
    "A warning, not a refusal: a rewrite, redesign or migration is a heavy answer to one "
    "incident's cause. It costs a lot, pays off late and brings problems of its own. Weigh "
    "the cost: add a small measure that addresses this cause now, and keep the larger change "
    "as a separate, planned project with milestones if it is worth it in the long run."
)
OVER_HEAVY_JA = (
    "警告です（拒否ではありません）。刷新、再設計、移行は、一つの障害の原因に対しては重い"
    "対策です。コストが大きく、成果が出るまで時間がかかり、別の問題を生むこともあります。"
    "費用対効果を考え、まずこの原因に効く小さな対策を加えてください。大きな変更が中長期で"
    "見合うなら、マイルストーンを分けた別の計画として扱いましょう。"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "vague_vigilance",
        PROBLEM,
        _en(
            r"\bbe (more |extra |very |especially |extremely |much more )?(careful|cautious|vigilant|attentive|mindful|diligent)\b",
            r"\b(take|use|exercise) (more |extra |great |greater )?(care|caution)\b",
            r"\bpay (more |closer |extra |careful |special )?attention\b",
            r"\b(double|triple|re)-? ?check\w*\b",
            r"\bmake sure\b",
            r"\b(remember|don't forget|do not forget|never forget) to\b",
            r"\b(raise|increase|improve|spread) (\w+ )?awareness\b",
            r"\bremind (everyone|the team|all|engineers|developers|people|staff|members)\b",
            r"\b(check|review|verify|test|read|look)\w* (\w+ ){0,3}(more |even more )?(carefully|thoroughly|rigorously|closely|attentively)\b",
            r"\b(deploy|release|operate|work|proceed|handle|run|act|type)\w* (\w+ ){0,3}(more )?(carefully|cautiously)\b",
            r"\bmore (careful|thorough|attentive|cautious)(ly)?\b",
            r"\b(think twice|stay alert|keep in mind|be aware)\b",
            r"\btry harder\b",
            r"\b(avoid|prevent|eliminate|reduce|no more) (\w+ )?(human )?(mistakes|errors|slip-?ups|carelessness)\b",
            r"\b(strictly|thoroughly|rigorously) (follow|adhere|enforce|observe)\w*\b",
            r"\b(let everyone know|inform everyone|tell everyone|share (it|this|the lesson|the lessons) with (everyone|the team|all))\b",
            r"\bfocus more\b",
        )
        + _ja(
            r"注意(する|して|し|を払|を徹底|深く|喚起|を促|を呼びかけ)",
            r"気を(つけ|付け|配)",
            r"徹底",
            r"確認(を|の)?(強化|厳格化)",
            r"周知",
            r"意識(する|して|し|を高め|を向上|の向上|づけ|付け|改革|を持)",
            r"細心の注意",
            r"(入念|念入り|十分|慎重|厳重|しっかり|きちんと|ちゃんと|丁寧)(に|と)",
            r"心が(け|ける)",
            r"努め(る|ます)|努力する",
            r"ダブルチェック",
            r"(二重|再度|再)確認",
            r"(ミス|間違い|ヒューマンエラー)(を|の)?(なくす|無くす|しない|防ぐ|減らす|ないよう|ゼロ)",
            r"忘れ(ない|ず)",
        ),
        VAGUE_EN,
        VAGUE_JA,
        unless=MECHANISM,
    ),
    Rule(
        "silencing",
        PROBLEM,
        _en(
            r"\b(suppress|silenc|mute|hid|squelch|swallow|ignor|discard|drop|filter\w* out|snooz)\w* (the |all |these |those |this |that |any |such )?(\w+ ){0,2}(errors?|alerts?|alarms?|warnings?|exceptions?|notifications?|pages?|error logs?|5\d\d\w*|stack ?traces?|failures?|timeouts?)\b",
            r"\bcatch\w* (\w+ ){0,3}(and|&|then) (ignore|swallow|discard|drop|silence|continue)\w*\b",
            r"\bexcept\w*:? ?pass\b",
            r"\b(raise|increase|bump|relax|loosen|lift|widen|double)\w* (the )?(\w+ ){0,3}(thresholds?|alert limits?|alerting limits?)\b",
            r"\bthresholds? (\w+ ){0,2}(higher|up|raised|increased|relaxed)\b",
            r"\b(disabl|remov|delet)\w* (the )?(\w+ ){0,2}(alerts?|alarms?|monitors?|monitoring|health ?checks?|notifications?|paging|error logs?)\b",
            r"\b(turn|switch)\w* off (the )?(\w+ ){0,2}(alerts?|alarms?|monitor\w*|notifications?|paging|error reporting)\b",
            r"\b(downgrad|lower)\w* (the )?(alert|log|error|page|paging)s? (level|severity|priority)\b",
            r"\blog (it|them|errors?|exceptions?) (as|at) (debug|info)\b",
            r"\breturn (a |an )?(200|ok|empty \w+|success\w*|null|nil|default \w+) (instead|on error|on failure|when \w+ fails)\b",
        )
        + _ja(
            r"握りつぶ|握り潰",
            r"(アラート|警告|通知|エラー|例外|ログ|監視|アラーム|エラーログ)(を|は)(一時的に)?(停止|止め|無効|ミュート|抑制|抑止|非表示|出さな|出力しな|無視|オフ|削除|外す|外し|黙ら|消す|消し)",
            r"(閾値|しきい値|スレッショルド)(を|は)?(\w{0,6})?(上げ|引き上げ|緩和|緩め|高く|大きく)",
            r"例外を(キャッチして|捕捉して)?(無視|握)",
            r"ログレベルを(下げ|debug|info)",
            r"(エラー|失敗)(時|の場合)(も|に|は)?(200|正常|成功)を返",
        ),
        SILENCING_EN,
        SILENCING_JA,
    ),
    # Gates and penalties aimed at people: never excused.
    Rule(
        "punitive",
        PROBLEM,
        _en(
            r"\b(approval|sign-?off|permission|ok|go-ahead)s? (from|by) (the |a |an |one |our |their )?(cto|ceo|cio|vp|director|manager|head|lead|team lead|tech lead|senior\w*|boss|supervisor|one person|a single person|executive)\b",
            r"\b(approved|signed off|authori[sz]ed) by (the |a |an |our |their )?(cto|ceo|cio|vp|director|manager|head|lead|team lead|senior\w*|boss|supervisor|executive)\b",
            r"\bonly (the |a |our )?(cto|senior\w*|leads?|managers?|directors?|admins?|one person|the team lead|the tech lead)( \w+)? (may|can|is allowed to|are allowed to|should) (deploy|release|merge|push|change|touch)\b",
            r"\b(written|formal) apolog\w*\b|\bapology letters?\b|\b(write|submit)s? (an |a )?apolog\w*\b",
            r"\bdisciplin(e|ary)\b",
            r"\bpenal(ty|ties|ise|ize|ised|ized)\b",
            r"\breprimand\w*\b",
            r"\bpunish\w*\b",
            r"\bname and shame\b",
            r"\b(deploy(ment)?|release|code|merge|change) freeze\b",
            r"\bfreez\w* (all )?(deploy\w*|releases?|merges?|changes)\b",
            r"\b(revok|remov|tak)\w* (\w+ ){0,2}(access|permissions?|rights|privileges) (from|of) (the |that )?(engineer|developer|person|operator|author|him|her|them|whoever)\b",
            r"\bno (more )?(deploys?|deployments|releases|merges) (on|for|until|during|after|without)\b",
            r"\bblame\b",
            r"\bwho (caused|broke|is responsible)\b",
        )
        + _ja(
            r"(cto|ceo|cio|部長|課長|上長|上司|マネージャ|責任者|役員|リーダー|本部長|室長|シニア)(の|による|が|から)(事前)?(承認|許可|決裁|ハンコ|押印)",
            r"(承認|許可)(を|が)(必須|必要)(と|に)(する|し)",
            r"始末書|反省文|顛末書|罰則|懲戒|処分を(検討|行|下)|減給|謝罪(文|させ)|ペナルティ|罰金|叱責|責任を(取|と|問)|責任追及|犯人",
            r"(デプロイ|リリース|本番作業|変更|マージ)(を|は)?(全面)?(凍結|停止|禁止|中止)",
            r"権限を(剥奪|取り上げ|はく奪|没収)",
            r"(当面|しばらく|今後一切|一切)(の)?(デプロイ|リリース|変更)(を|は)(行わ|しな|禁止|控え|止め)",
        ),
        PUNITIVE_EN,
        PUNITIVE_JA,
    ),
    # A ban is punitive unless a mechanism enforces it (a lint rule that forbids a construct is
    # a good measure: "INSERT IGNORE を Lint で禁止").
    Rule(
        "punitive",
        PROBLEM,
        _en(
            r"\b(forbid\w*|prohibit\w*|ban|bans|banned|banning)\b",
            r"\bnot (be )?allowed to (deploy|release|merge|push|work)\b",
        )
        + _ja(r"禁止|禁ずる|禁じ|出入り禁止|使用不可"),
        PUNITIVE_EN,
        PUNITIVE_JA,
        unless=MECHANISM,
    ),
    Rule(
        "over_heavy",
        WARNING,
        _en(
            r"\brewrit\w* (the |our )?(whole |entire )?(\w+ )?(system|service|backend|frontend|application|app|platform|codebase|monolith|stack)\b",
            r"\brewrit\w* (\w+ ){0,4}in (go|golang|rust|java|kotlin|scala|typescript|elixir)\b",
            r"\bre-?architect\w*\b",
            r"\bredesign\w* (the |our )?(whole |entire )?(\w+ )?(system|architecture|platform|backend|service|stack|data model)\b",
            r"\bre-?platform\w*\b",
            r"\bfrom scratch\b",
            r"\boverhaul\w*\b",
            r"\brebuild\w* (the |our )?(whole|entire|system|service|platform|backend|application|app|stack)\b",
            r"\breplac\w* (the |our )?(whole|entire|legacy|existing (system|platform|stack|backend))\b",
            r"\b(migrat|mov|port|switch|convert)\w* (the |our )?(whole|entire|all|every|everything)\b",
            r"\b(migrat|mov|port|switch|convert)\w* (\w+ ){0,4}(to|onto) (microservices?|kubernetes|k8s|go|golang|rust|scala|serverless|a (new|different) (platform|stack|framework|language|architecture|database|cloud))\b",
            r"\b(full|complete|total|major|wholesale|big-bang) (redesign|rebuild|rewrite|re-?architecture|overhaul|replacement|migration|refactor\w*)\b",
            r"\bbuild (our own|an in-house|a new|a custom) (\w+ ){0,2}(platform|framework|database|orchestrator|system|queue|service mesh)\b",
        )
        + _ja(
            r"刷新",
            r"(システム|サービス|全体|基盤|アプリ|アプリケーション|バックエンド)を?(一から|ゼロから|すべて|全部)?(作り直|書き直)",
            r"(全体|全部|すべて|全て|システム|コード|基盤)を?書き換え",
            r"リプレー?ス|リプレイス",
            r"(システム|基盤|アーキテクチャ|全体|インフラ|サービス|データモデル)(の|を)?(全面的な|全面的に|抜本的な|抜本的に)?(再設計|再構築)",
            r"フルスクラッチ|(一|いち|ゼロ)から(作|開発|構築|書)",
            r"全面(的な|的に)?(改修|見直し|移行|刷新|改修|書き換え|置き換え|置換)",
            r"(マイクロサービス|kubernetes|k8s|go|golang|rust|サーバーレス|クラウド|新基盤|新しい基盤)(へ|に)(の)?(移行|移植|置き換え|乗り換え)",
            r"(システム|基盤|アーキテクチャ|全体|全システム)(を|の)(移行|刷新|再設計|作り直|全面)",
            r"マイクロサービス化",
            r"(go|golang|rust|java|kotlin|scala|typescript|elixir)で(書き直|作り直|書き換え|再実装|作り替え)",
        ),
        OVER_HEAVY_EN,
        OVER_HEAVY_JA,
    ),
)


# The checks of a follow-up's fields (not its text).
NO_OWNER_EN = (
    "No owner. A follow-up that belongs to everybody belongs to nobody and is put off behind "
    "other work: name the one person who drives it to done (they may ask others for help)."
)
NO_OWNER_JA = (
    "担当者がいません。全員のものは誰のものでもなく、他の仕事の後回しになります。"
    "完了まで責任を持って進める一人を決めてください（その人が他の人に手伝いを頼むのは構いません）。"
)
NO_DUE_DATE_EN = (
    "No due date. Without a deadline other work always comes first: set one. "
    "The severity policy suggests %(suggested)s."
)
NO_DUE_DATE_JA = (
    "期限がありません。期限がないと他の仕事がいつも優先されます。期限を設定してください。"
    "重大度の方針にもとづく期限は%(suggested)sです。"
)
NO_DUE_DATE_NO_POLICY_EN = "No due date. Without a deadline other work always comes first: set one."
NO_DUE_DATE_NO_POLICY_JA = (
    "期限がありません。期限がないと他の仕事がいつも優先されます。期限を設定してください。"
)
PAST_POLICY_EN = (
    "The due date %(due)s is later than the %(severity)s policy allows (%(days)s days: "
    "%(policy)s). The more serious the incident, the sooner its measures should ship. If the "
    "whole fix takes longer, split it into milestones and ship a first stage by %(policy)s."
)
PAST_POLICY_JA = (
    "期限%(due)sは%(severity)sの方針（%(days)s日：%(policy)sまで）より後です。"
    "重大なインシデントほど対策は早く実施すべきです。完全な対応に時間がかかる場合は"
    "マイルストーンに分け、最初の段階を%(policy)sまでに実施してください。"
)
