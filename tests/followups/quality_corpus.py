"""Follow-ups as people write them, good and bad, in Japanese and English: the quality check
must raise exactly the named code on each bad one and nothing on a good one. Many come from
the seeds (Mirrativ's measures and anti-patterns, Merpay's viewpoints, Asoview's classes);
the rest are the kind of line a retrospective produces.

The script scripts/followup_quality_report.py prints precision and recall over this corpus."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    language: str  # "ja" or "en"
    title: str
    code: str | None  # the code it must raise; None: a good follow-up, nothing to raise
    description: str = ""


def _good(language: str, *titles: str) -> list[Example]:
    return [Example(language, title, None) for title in titles]


def _bad(language: str, code: str, *titles: str) -> list[Example]:
    return [Example(language, title, code) for title in titles]


GOOD_EN = _good(
    "en",
    "Add a CI check that rejects migrations without EXPLAIN output",
    "Add a field for the EXPLAIN of every new query to the pull request template",
    "Find and fix the queries that skip partition pruning",
    "Add random jitter to jobs that fire at a fixed time so their load does not pile up",
    "Send the broadcast push notification in batches so web load does not spike",
    "Add a setting to shift the clock in the development environment",
    "Deprecate INSERT IGNORE and flag it in the linter",
    "Add 'could I investigate and recover this myself?' to the team's review guidelines",
    "Make additionalProperties required in the OpenAPI schema",
    "Notify the team of slow queries seen by the application servers",
    "Keep verification work on environments with real users to a minimum",
    "Split the master data import into a dry run with a diff preview and an apply step",
    "Fix the off-by-one in the coupon expiry calculation",
    "Add an SLO burn-rate alert on the checkout error rate seen by users",
    "Add a canary stage that compares error rates before the full rollout",
    "Write a runbook for failing over the payments database",
    "Add a regression test for the time zone bug in the settlement batch",
    "Set a statement timeout of 5 s on the reporting replica",
    "Put a circuit breaker around the points API client",
    "Page the payments on-call when the settlement batch has not finished by 06:00",
    "Reduce the noise in the migration tool's output so people can focus on what needs a human",
    "Cache the exchange rates for 5 minutes to cut calls to the provider",
    "Add an index on orders(created_at)",
    "Renew the TLS certificates automatically with cert-manager",
    "Add a dashboard panel with the queue depth per worker",
    "Limit the nightly export to batches of 10,000 rows",
    "Record deploys on the incident timeline through the change events API",
    "Add retries with exponential backoff to the webhook sender",
    "Split the settlement job per merchant so one failure does not stop the rest",
    "Assign an incident commander from the on-call rotation on every SEV1 and SEV2",
    "Measure MTTA per team and go through it monthly in the incident committee",
    "Register the failed-login spike as a residual risk with an owner",
    "Make new payment methods start behind a feature flag that defaults to off",
    "Add a pre-deploy script that checks the free disk space on the database hosts",
    "Answer 503 with Retry-After when the inventory service is overloaded",
    "Add a readiness probe so pods take traffic only after the cache is warm",
    "Run a restore drill of the backups every quarter and record how long it took",
    "Move the cron job from the shared host to the job scheduler with retries",
    "Validate the CSV encoding on upload and refuse Shift_JIS files with a clear message",
    "Post to the hotline channel in Slack when the status page changes",
    "Add the rollback steps for the mobile API to the release checklist",
    "Lower the DNS TTL of the API endpoint to 60 s for a faster failover",
    "Add the customer support lead to the SEV1 bridge call roster",
    "Shard the notification queue by tenant to isolate noisy tenants",
    "Alert when a certificate expires within 14 days",
    "Add a contract test between the checkout and points services",
    "Agree an error budget policy for the search API's SLO",
    "Share the failed cases with the QA team and add them to the verification items",
)

BAD_EN = (
    _bad(
        "en",
        "vague_vigilance",
        "Be more careful when deploying",
        "Double-check the configuration before every release",
        "Make sure to run the migrations in the right order",
        "Pay more attention to disk usage",
        "Remind everyone to verify the environment before running commands on production",
        "Review pull requests more carefully",
        "Raise awareness of the risks of manual database changes",
        "Operators should take extra care with the payment batch",
        "Be vigilant about expiring certificates",
        "Remember to update the status page during incidents",
        "Test changes more thoroughly before each release",
        "Everyone must strictly follow the release procedure",
        "Avoid human errors when entering master data",
        "Keep in mind that the cache is shared between tenants",
        "Think twice before running DELETE statements",
    )
    + _bad(
        "en",
        "silencing",
        "Suppress the 5xx errors from the recommendation API",
        "Raise the alert threshold for p99 latency to 3 s",
        "Catch the timeout exception and ignore it",
        "Mute the disk usage alert on the batch hosts",
        "Disable the health check alerts on the image service",
        "Turn off error notifications for the image resizer",
        "Return 200 instead of 500 when the coupon lookup fails",
        "Lower the alert severity of the queue backlog to info",
        "Swallow exceptions from the analytics client",
        "Filter out the timeout errors in Sentry",
    )
    + _bad(
        "en",
        "punitive",
        "All production deploys need approval from the CTO",
        "Ban the engineer from deploying for a month",
        "The person who caused the outage writes a formal apology",
        "Deploy freeze for all teams until the end of the quarter",
        "Only senior engineers may deploy to production",
        "Revoke production access from the engineer who ran the command",
        "Introduce penalties for incidents",
        "No deploys on Fridays from now on",
        "Every change to the billing service must be approved by the director",
        "Prohibit direct database access for the support team",
    )
    + _bad(
        "en",
        "over_heavy",
        "Rewrite the payment service in Go",
        "Migrate the whole platform to Kubernetes",
        "Re-architect the checkout into microservices",
        "Replace the legacy order system",
        "Rebuild the search backend from scratch",
        "Full redesign of the notification architecture",
        "Move everything to serverless",
        "Build our own message queue to replace the managed one",
        "Overhaul the deployment process",
    )
)

GOOD_JA = _good(
    "ja",
    "マイグレーションにEXPLAINの結果がない場合に失敗するCIチェックを追加する",
    "Partition Pruningの効いていないクエリを洗い出して修正する",
    "DDLのマイグレーションツールのノイズを減らし、人が確認すべき点に集中できるようにする",
    "特定の時刻に発火する処理にゆらぎを自動で付与し、負荷が重ならないようにする",
    "Pull Requestのテンプレートに新規クエリのEXPLAINを記入する項目を追加する",
    "全体へのPush通知をゆっくり送るように修正する",
    "開発環境で時刻を変更できる機能を追加する",
    "INSERT IGNOREを非推奨にし、Lintで検出する",
    "レビュー方針に「その機能で障害があった時に自分で調査・復旧できるか」を追加する",
    "OpenAPIのadditionalPropertiesを必須にする",
    "アプリケーションサーバ側でSlow Queryを通知する",
    "ユーザーがいる環境での検証作業を最小限にする",
    "決済APIのエラー率にユーザー影響ベースのアラートを追加する",
    "Canaryリリースの段階でエラー率を比較し、悪化したら自動で止める",
    "クーポン有効期限の計算のバグを修正する",
    "決済DBのフェイルオーバー手順をランブックにまとめる",
    "精算バッチのタイムゾーンのバグに回帰テストを追加する",
    "集計用レプリカにステートメントタイムアウト5秒を設定する",
    "ポイントAPIクライアントにサーキットブレーカーを入れる",
    "精算バッチが6時までに終わらない場合はオンコールを呼び出す",
    "為替レートを5分間キャッシュしてプロバイダーへの呼び出しを減らす",
    "orders(created_at)にインデックスを追加する",
    "期限切れ間近のTLS証明書を自動で更新する",
    "ワーカーごとのキューの長さをダッシュボードに表示する",
    "夜間エクスポートのバッチサイズを1万件に制限する",
    "Webhook送信にエクスポネンシャルバックオフ付きのリトライを追加する",
    "精算ジョブを加盟店ごとに分割し、一件の失敗で全体が止まらないようにする",
    "SEV1とSEV2ではオンコール当番からインシデントコマンダーを任命する",
    "チームごとのMTTAを計測し、毎月インシデント委員会で振り返る",
    "ログイン失敗の急増を残存リスクとして登録し、担当者を決める",
    "新しい決済手段のフィーチャーフラグを既定でオフにする",
    "デプロイ前にDBホストの空きディスク容量を調べるスクリプトを追加する",
    "在庫サービスが過負荷のときはRetry-After付きの503を返す",
    "キャッシュのウォームアップ後にだけトラフィックを受けるようreadiness probeを追加する",
    "バックアップのリストア訓練を四半期ごとに実施し、所要時間を記録する",
    "アップロード時にCSVの文字コードを検証し、Shift_JISは分かりやすいメッセージで拒否する",
    "ステータスページが変わったらhotlineチャンネルにSlackで通知する",
    "モバイルAPIのロールバック手順をリリースのチェックリストに追記する",
    "フェイルオーバーを速くするためAPIエンドポイントのDNSのTTLを60秒に下げる",
    "SEV1のブリッジコールにカスタマーサポートの責任者を加える",
    "証明書の期限が14日を切ったらアラートを出す",
    "決済サービスとポイントサービスの間にコントラクトテストを追加する",
    "検索APIのSLOにエラーバジェットポリシーを定める",
    "通知キューをテナントごとに分割し、負荷の高いテナントの影響を隔離する",
    "過去に障害が起きたケースをQAチームに共有し、検証項目に加えてもらう",
    "エラーログを充実させ、問い合わせより先に気づけるようにする",
    "レスポンス速度の劣化とslow queryを監視する",
)

BAD_JA = (
    _bad(
        "ja",
        "vague_vigilance",
        "今後は注意して作業する",
        "デプロイ前に設定を十分に確認する",
        "本番作業時は細心の注意を払う",
        "手順の遵守を徹底する",
        "レビュー時の確認を強化する",
        "本番DBの手動変更の危険性をチーム内に周知する",
        "リリース作業はダブルチェックする",
        "作業者の意識を高める",
        "今後は気をつけて運用する",
        "入念に確認してからマージする",
        "ヒューマンエラーをなくすよう心がける",
        "コマンドの実行前に慎重に確認する",
        "再発防止に努める",
        "設定変更時は再確認を忘れないようにする",
        "証明書の期限切れに注意する",
    )
    + _bad(
        "ja",
        "silencing",
        "レコメンドAPIの5xxエラーを握りつぶす",
        "p99レイテンシのアラートの閾値を3秒に引き上げる",
        "タイムアウトの例外をキャッチして無視する",
        "バッチサーバーのディスク使用率アラートをミュートする",
        "ステージングのヘルスチェックの通知を止める",
        "画像変換のエラー通知をオフにする",
        "クーポン検索の失敗時も200を返すようにする",
        "キュー滞留のログレベルを下げる",
        "分析クライアントの例外は無視する",
        "Sentryでタイムアウトエラーを非表示にする",
    )
    + _bad(
        "ja",
        "punitive",
        "本番デプロイはすべてCTOの承認を必須にする",
        "障害を起こした担当者に始末書を提出させる",
        "四半期末までデプロイを凍結する",
        "本番へのデプロイはシニアエンジニアの承認を必要とする",
        "作業したエンジニアの本番権限を剥奪する",
        "障害を起こしたら罰則を設ける",
        "金曜日のリリースを禁止する",
        "課長の許可がない本番作業は禁止する",
        "原因を作った人に反省文を書かせる",
        "一ヶ月間デプロイを禁止する",
        "サポートチームのDB直接操作を禁止する",
    )
    + _bad(
        "ja",
        "over_heavy",
        "決済サービスをGoで書き直す",
        "アーキテクチャの再設計とGoへの移行",
        "既存の注文システムを刷新する",
        "検索基盤をフルスクラッチで作り直す",
        "全システムをKubernetesへ移行する",
        "チェックアウトをマイクロサービス化する",
        "通知基盤を全面的に刷新する",
        "監視基盤をリプレースする",
        "バックエンドをゼロから作り直す",
        "決済システムの全面的な再構築",
    )
)

CORPUS: list[Example] = [*GOOD_EN, *BAD_EN, *GOOD_JA, *BAD_JA]
