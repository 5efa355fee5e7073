"""Every string of the web pages, in Chinese and English, looked up in one place.

`STRINGS[key]` holds both languages (a test checks every key has both, and that every key
a template uses exists). Enum values are labelled under "kind.value" keys, e.g.
"verdict.scam" or "category.refund_scam". The verdict's own reasons and advice come
translated from the engine (verifier.core.messages). The console's and the registry editor's
strings live in verifier.web.i18n_console and are merged into STRINGS here.
"""

from __future__ import annotations

from aiohttp import web

from verifier.core import messages
from verifier.core.messages import Lang
from verifier.web.i18n_console import ADMIN, CONSOLE

DEFAULT_LANG: Lang = "zh"
LANG_COOKIE = "hv_lang"
HTML_LANG: dict[str, str] = {"zh": "zh-CN", "en": "en"}

S = dict[str, dict[Lang, str]]

LAYOUT: S = {
    "site_name": {"zh": "号码核验", "en": "Hotline Check"},
    "skip_to_content": {"zh": "跳到正文", "en": "Skip to content"},
    "switch_language": {"zh": "English", "en": "中文"},
    "main_nav": {"zh": "主要导航", "en": "Main"},
    "console_nav": {"zh": "审核台导航", "en": "Console"},
    "nav_check": {"zh": "查号码", "en": "Check"},
    "nav_report": {"zh": "举报", "en": "Report"},
    "nav_orgs": {"zh": "机构名录", "en": "Organisations"},
    "nav_queue": {"zh": "举报队列", "en": "Queue"},
    "nav_appeals": {"zh": "申诉", "en": "Appeals"},
    "nav_audit": {"zh": "审计日志", "en": "Audit log"},
    "nav_registry": {"zh": "名录管理", "en": "Registry"},
    "logout": {"zh": "退出登录", "en": "Log out"},
    "footer_police": {"zh": "已经转账或泄露了验证码？马上拨打 110 报警，或拨打全国反诈专线 96110。",
                      "en": "Already paid or shared a code? Call the police on 110 now, or the national anti-fraud line 96110."},
    "footer_appeal": {"zh": "号码被误判？提出申诉", "en": "Your number wrongly flagged? Appeal"},
    "footer_moderators": {"zh": "审核员登录", "en": "Moderators"},
    "optional": {"zh": "（可不填）", "en": "(optional)"},
    "search": {"zh": "搜索", "en": "Search"},
    "unknown_value": {"zh": "未知", "en": "unknown"},
    "not_given": {"zh": "未填写", "en": "not given"},
    "all": {"zh": "全部", "en": "All"},
    "sending": {"zh": "正在提交…", "en": "Sending…"},
    "check_a_number": {"zh": "查一个号码", "en": "Check a number"},
}

HOME: S = {
    "home_title": {"zh": "这个号码是真的吗？", "en": "Is this number genuine?"},
    "home_heading": {"zh": "这个电话号码可信吗？", "en": "Can you trust this phone number?"},
    "home_intro": {"zh": "输入或粘贴一个号码，也可以粘贴整条短信或网页文字。我们会告诉你它是不是官方号码，以及现在该怎么做。",
                   "en": "Type or paste a number, or paste a whole SMS or web page. We tell you whether it is an official number, and what to do now."},
    "q_label": {"zh": "号码，或整条短信", "en": "Number, or the whole message"},
    "q_hint": {"zh": "例如 95588，或“【某某银行】您的账户异常，请致电 400-…”", "en": "For example 95588, or “[Some Bank] Your account is frozen, call 400-…”"},
    "org_label": {"zh": "对方说自己是谁？", "en": "Who did they say they were?"},
    "org_hint": {"zh": "例如：工商银行、支付宝", "en": "For example: ICBC, Alipay"},
    "context_label": {"zh": "这个号码是怎么来的？", "en": "Where did you meet this number?"},
    "context_blank": {"zh": "不确定", "en": "Not sure"},
    "check_button": {"zh": "核验", "en": "Check"},
    "checking": {"zh": "正在核验…", "en": "Checking…"},
    "check_another": {"zh": "再查一个", "en": "Check another"},
    "tips_heading": {"zh": "记住三件事", "en": "Remember three things"},
    "tip_1": {"zh": "银行、支付平台和警察不会在电话里让你转账到“安全账户”。", "en": "Banks, payment apps and the police never ask you to move money to a “safe account” by phone."},
    "tip_2": {"zh": "不要把短信验证码告诉任何人，包括自称客服的人。", "en": "Never tell anyone an SMS code, including someone who says they are customer service."},
    "tip_3": {"zh": "有疑问就挂断，自己拨打银行卡背面或官方App里的号码。", "en": "When in doubt, hang up and call the number on your card or in the official app yourself."},
    "line_not_claimed": {"zh": "不是{claimed}的号码", "en": "Not a number of {claimed}"},
    "line_not_claimed_but_owner": {"zh": "不是{claimed}的号码（属于{owner}）", "en": "Not {claimed}'s number (it belongs to {owner})"},
    "line_imitates": {"zh": "在模仿{org}的号码", "en": "Imitates a number of {org}"},
    "main_hotline": {"zh": "主热线", "en": "Main hotline"},
    "unconfirmed_caveat": {"zh": "尚未确认：只见于一个第三方名录，请先在官方App或银行卡背面核对", "en": "Not confirmed: seen in one third-party list only; check it in the official app or on your card first"},
    "risk_score": {"zh": "风险 {score}/100", "en": "Risk {score}/100"},
    "why": {"zh": "为什么这样判断", "en": "Why"},
    "real_numbers_of": {"zh": "{org}的真实号码", "en": "The real numbers of {org}"},
    "group_role_owner": {"zh": "这个号码登记在{org}名下。它的官方号码：", "en": "This number is registered to {org}. Its official numbers:"},
    "group_role_claimed": {"zh": "如果要联系{org}，请只用这些号码：", "en": "To reach {org}, use only these numbers:"},
    "group_role_imitated": {"zh": "这个号码在模仿{org}的号码。真正的号码是：", "en": "This number imitates {org}. The real numbers are:"},
    "all_numbers_of": {"zh": "查看{org}的全部 {count} 个号码", "en": "All {count} numbers of {org}"},
    "no_numbers_known": {"zh": "我们还没有登记这个机构的号码。", "en": "We have no numbers on record for this organisation."},
    "source": {"zh": "来源", "en": "Source"},
    "not_recorded": {"zh": "未记录", "en": "not recorded"},
    "confidence": {"zh": "可信度", "en": "Confidence"},
    "verified_at": {"zh": "核实日期", "en": "Verified on"},
    "inbound_only_note": {"zh": "只接听，不外呼", "en": "receives calls only, never calls out"},
    "report_counts": {"zh": "举报：已确认 {approved} 条，审核中 {pending} 条（来自 {people} 位不同用户）。",
                      "en": "Reports: {approved} confirmed, {pending} under review (from {people} different people)."},
    "report_counts_approved": {"zh": "审核员已确认 {approved} 条举报。", "en": "Moderators confirmed {approved} report(s)."},
    "report_counts_pending": {"zh": "有 {pending} 条举报正在审核（来自 {people} 位用户）。", "en": "{pending} report(s) from {people} person(s) are being reviewed."},
    "no_reports_yet": {"zh": "还没有人举报过这个号码。", "en": "Nobody has reported this number yet."},
    "official_spoofed_warning": {"zh": "注意：有人举报骗子冒用了这个官方号码。来电显示可以伪造，请挂断后自己回拨。",
                                 "en": "Careful: people report scammers faking this official number. Caller ID can be forged: hang up and call back yourself."},
    "what_to_do_now": {"zh": "现在该怎么做", "en": "What to do now"},
    "step_hang_up": {"zh": "立即挂断，不要回拨这个号码，不要点短信里的链接。", "en": "Hang up now. Do not call this number back or tap links in the message."},
    "step_no_money": {"zh": "不要转账，不要说出验证码、密码或银行卡号。", "en": "Do not transfer money or give any code, password or card number."},
    "step_call_official": {"zh": "自己拨打银行卡背面或官方App里的客服号码核实。", "en": "Call the number printed on your card or shown in the official app to check."},
    "step_police": {"zh": "如果已经转账或泄露了信息，马上拨打 110 或 96110。", "en": "If you already paid or shared details, call 110 or 96110 now."},
    "step_official_still_careful": {"zh": "即使是官方号码，对方要你转账、给验证码或下载软件时，也请挂断后自己回拨。",
                                    "en": "Even from an official number: if they ask for money, a code or an app install, hang up and call back yourself."},
    "step_unknown_dont_follow": {"zh": "不要按来电者的要求操作，不要转账。", "en": "Do not follow the caller's instructions and do not transfer money."},
    "report_this_number": {"zh": "举报这个号码", "en": "Report this number"},
    "text_title": {"zh": "短信核验", "en": "Message check"},
    "text_verdict_scam": {"zh": "这条信息里有诈骗号码", "en": "This message contains a scam number"},
    "text_verdict_suspicious": {"zh": "这条信息可疑", "en": "This message is suspicious"},
    "text_verdict_invalid": {"zh": "这条信息里的号码不存在", "en": "This message contains an impossible number"},
    "text_verdict_official": {"zh": "信息里的号码和链接都是官方的", "en": "The numbers and links in this message are official"},
    "text_verdict_unknown": {"zh": "无法确认这条信息", "en": "We cannot confirm this message"},
    "numbers_found": {"zh": "找到 {count} 个号码", "en": "{count} number(s) found"},
    "links_found": {"zh": "{count} 个链接", "en": "{count} link(s)"},
    "links_heading": {"zh": "信息里的链接", "en": "Links in the message"},
    "links_not_opened": {"zh": "我们没有打开这些链接，你也不要点开。", "en": "We did not open these links, and you should not either."},
    "link_verdict_official": {"zh": "官方网址", "en": "Official website"},
    "link_verdict_suspicious": {"zh": "可疑链接", "en": "Suspicious link"},
    "link_verdict_scam": {"zh": "诈骗链接", "en": "Scam link"},
    "link_verdict_unknown": {"zh": "无法确认的链接", "en": "Link we cannot confirm"},
    "cues_heading": {"zh": "信息里的诈骗常用说法", "en": "Phrases scam messages use"},
    "skipped_heading": {"zh": "这 {count} 串数字不是电话号码，没有核验", "en": "{count} run(s) of digits that are not phone numbers were not checked"},
    "skipped_item": {"zh": "{found}：{kind}", "en": "{found}: {kind}"},
    "text_mentions": {"zh": "信息自称来自：{orgs}", "en": "The message claims to be from: {orgs}"},
    "text_no_numbers": {"zh": "这段文字里没有找到电话号码。", "en": "We found no phone number in this text."},
    "no_number_empty": {"zh": "请输入一个号码。", "en": "Please enter a number."},
    "no_number_no_digits": {"zh": "这里面没有找到电话号码。请输入号码，或粘贴含有号码的短信。", "en": "We found no phone number here. Enter a number, or paste a message that contains one."},
    "no_number_too_long": {"zh": "内容太长了：最多 5000 个字。", "en": "That is too long: at most 5,000 characters."},
    "no_number_too_many_checks": {"zh": "这段内容里的号码和链接太多（超过 {max} 个）。请一次只粘贴一条短信。",
                                  "en": "There are too many numbers and links in this text (more than {max}). Please paste one message at a time."},
    "no_number_too_short": {"zh": "位数太少，不像一个电话号码。", "en": "Too few digits to be a phone number."},
    "no_number_bad_characters": {"zh": "这里面有不属于电话号码的字符。", "en": "That contains characters that do not belong in a phone number."},
    "no_number_other": {"zh": "这不像一个电话号码。", "en": "That does not look like a phone number."},
}

REPORT: S = {
    "report_title": {"zh": "举报号码", "en": "Report a number"},
    "report_heading": {"zh": "举报一个诈骗号码", "en": "Report a scam number"},
    "report_intro": {"zh": "你的举报会由审核员核实，核实后会提醒其他查这个号码的人。", "en": "Moderators check every report; once confirmed, it warns everyone who checks this number."},
    "report_number": {"zh": "号码", "en": "Number"},
    "report_number_hint": {"zh": "对方的电话号码或短信里的号码", "en": "The caller's number, or the number in the message"},
    "report_category": {"zh": "是哪种骗局？", "en": "What kind of scam?"},
    "choose_one": {"zh": "请选择", "en": "Choose one"},
    "report_channel": {"zh": "对方是怎么联系你的？", "en": "How did they contact you?"},
    "report_claimed_org": {"zh": "对方自称是谁？", "en": "Who did they claim to be?"},
    "report_claimed_org_hint": {"zh": "例如：工商银行客服", "en": "For example: ICBC customer service"},
    "report_description": {"zh": "发生了什么？", "en": "What happened?"},
    "report_description_hint": {"zh": "对方说了什么、让你做什么。请不要写你自己的密码或银行卡号。", "en": "What they said and asked you to do. Do not write your own passwords or card numbers."},
    "report_occurred_at": {"zh": "什么时候？（北京时间）", "en": "When? (Beijing time)"},
    "report_occurred_at_hint": {"zh": "大概的时间就可以", "en": "Roughly is fine"},
    "report_privacy": {"zh": "我们不保存你的 IP 地址或身份，只保存无法还原的加密标识，用来防止重复举报。", "en": "We do not keep your IP address or identity, only a one-way keyed hash that stops duplicate reports."},
    "report_submit": {"zh": "提交举报", "en": "Send report"},
    "report_done_title": {"zh": "举报已收到", "en": "Report received"},
    "report_done_heading": {"zh": "谢谢，举报已收到", "en": "Thank you, we got your report"},
    "report_done_reference": {"zh": "编号 #{id}", "en": "Reference #{id}"},
    "report_done_text": {"zh": "审核员会尽快核实。确认后，其他人查这个号码时会看到警告。", "en": "A moderator will check it soon. Once confirmed, everyone who checks this number sees a warning."},
    "report_another": {"zh": "再举报一个", "en": "Report another"},
    "appeal_title": {"zh": "申诉", "en": "Appeal"},
    "appeal_heading": {"zh": "我的号码被误判为诈骗", "en": "My number is wrongly marked as a scam"},
    "appeal_intro": {"zh": "如果你是这个号码的主人，请说明情况。审核员核实后，可以撤销诈骗判定。", "en": "If this is your number, tell us. After checking, a moderator can lift the scam verdict."},
    "appeal_number": {"zh": "你的号码", "en": "Your number"},
    "appeal_statement": {"zh": "情况说明", "en": "Your statement"},
    "appeal_statement_hint": {"zh": "写清这个号码是谁在用、做什么用（至少 4 个汉字，或 10 个字符）。", "en": "Who uses this number and what for (at least 4 Chinese characters, or 10 characters)."},
    "appeal_contact": {"zh": "联系方式", "en": "Contact"},
    "appeal_contact_hint": {"zh": "邮箱或电话，审核员可能会联系你核实。", "en": "E-mail or phone: a moderator may contact you to check."},
    "appeal_submit": {"zh": "提交申诉", "en": "Send appeal"},
    "appeal_done_title": {"zh": "申诉已收到", "en": "Appeal received"},
    "appeal_done_heading": {"zh": "申诉已收到", "en": "We got your appeal"},
    "appeal_done_reference": {"zh": "编号 #{id}", "en": "Reference #{id}"},
    "appeal_done_text": {"zh": "审核员会尽快处理，需要时会通过你留下的联系方式联系你。", "en": "A moderator will handle it soon and may contact you on the details you gave."},
}

ORGS: S = {
    "orgs_title": {"zh": "机构名录", "en": "Organisations"},
    "orgs_heading": {"zh": "机构和它们的官方号码", "en": "Organisations and their official numbers"},
    "orgs_intro": {"zh": "每个号码都注明了在哪里核实、可信度和核实日期。", "en": "Every number says where it was verified, how sure we are, and when."},
    "orgs_search_label": {"zh": "机构名称", "en": "Organisation name"},
    "orgs_found": {"zh": "“{q}”：找到 {count} 个机构", "en": "“{q}”: {count} organisation(s)"},
    "orgs_none": {"zh": "没有找到机构。", "en": "No organisation found."},
    "number_count": {"zh": "{count} 个号码", "en": "{count} number(s)"},
    "also_called": {"zh": "也叫：", "en": "Also called:"},
    "official_numbers_heading": {"zh": "官方号码", "en": "Official numbers"},
    "official_numbers_intro": {"zh": "只有这些号码是官方的。别的号码自称是这个机构，都要当心。", "en": "Only these numbers are official. Be careful with any other number claiming to be this organisation."},
    "official_domains": {"zh": "官方网站", "en": "Official websites"},
    "back_to_orgs": {"zh": "返回机构名录", "en": "Back to organisations"},
    "no_such_org": {"zh": "没有这个机构。", "en": "There is no such organisation."},
}

ERRORS: S = {
    "form_has_errors": {"zh": "请改正下面标出的问题", "en": "Please fix the problems marked below"},
    "err_required": {"zh": "请填写这一项。", "en": "Please fill this in."},
    "err_too_long": {"zh": "太长了：最多 {max} 个字。", "en": "Too long: at most {max} characters."},
    "err_too_short": {"zh": "太短了：至少 {min} 个字。", "en": "Too short: at least {min} characters."},
    "err_statement_too_short": {"zh": "太短了：至少写 {min_cjk} 个汉字，或 {min} 个字符。", "en": "Too short: at least {min_cjk} Chinese characters, or {min} characters."},
    "err_choose": {"zh": "请从列表中选择一项。", "en": "Please choose one from the list."},
    "err_format": {"zh": "格式不对。", "en": "This is not in the right format."},
    "err_date": {"zh": "日期或时间不对。", "en": "This date or time is not valid."},
    "err_future": {"zh": "时间不能在将来。", "en": "This time lies in the future."},
    "err_too_old": {"zh": "时间太早了。", "en": "This time is implausibly old."},
    "err_url": {"zh": "网址要以 http:// 或 https:// 开头。", "en": "The address must start with http:// or https://."},
    "err_source_required": {"zh": "请写明来源：来源网址或来源说明。", "en": "Give the source: a source URL or a source note."},
    "err_invalid": {"zh": "这一项不对。", "en": "This is not valid."},
    "err_not_a_number": {"zh": "这不是一个有效的电话号码。", "en": "That is not a valid phone number."},
    "err_org_exists": {"zh": "已经有这个编号的机构了。", "en": "An organisation with this id exists already."},
    "err_number_exists": {"zh": "这个机构已经有这个号码了。", "en": "This organisation has this number already."},
    "err_number_changed": {"zh": "不能在这里改号码本身：请删除后重新添加。", "en": "The number itself cannot change here: delete it and add the new one."},
    "csrf_refused": {"zh": "这个表单已过期，或不是从本站提交的。请返回，刷新页面后再提交。",
                     "en": "This form has expired or did not come from this site. Go back, reload the page and send it again."},
    "not_found_text": {"zh": "没有找到。", "en": "Not found."},
    "retry_after": {"zh": "请在 {minutes} 分钟后再试（北京时间 {time} 以后）。", "en": "Please try again in {minutes} minute(s) (after {time} Beijing time)."},
    "error_code": {"zh": "错误代码 {status}", "en": "Error {status}"},
    "error_title_400": {"zh": "请求有问题", "en": "Something is wrong with that request"},
    "error_text_400": {"zh": "我们看不懂这个请求。请返回再试一次。", "en": "We could not understand that request. Go back and try again."},
    "error_title_401": {"zh": "需要登录", "en": "Please log in"},
    "error_text_401": {"zh": "请先登录。", "en": "Please log in first."},
    "error_title_403": {"zh": "不能这样做", "en": "Not allowed"},
    "error_text_403": {"zh": "你没有权限做这件事，或者表单已经过期。", "en": "You may not do this, or the form has expired."},
    "error_title_404": {"zh": "找不到这个页面", "en": "Page not found"},
    "error_text_404": {"zh": "这个地址没有内容。可能是链接写错了。", "en": "There is nothing at this address. The link may be wrong."},
    "error_title_405": {"zh": "不支持这种操作", "en": "Not supported here"},
    "error_text_405": {"zh": "这个地址不接受这种请求。", "en": "This address does not accept that kind of request."},
    "error_title_409": {"zh": "已经处理过了", "en": "Already done"},
    "error_text_409": {"zh": "别人可能已经处理过这件事。请刷新页面看看最新状态。", "en": "Someone may have handled this already. Reload to see where it stands."},
    "error_title_413": {"zh": "内容太多", "en": "Too much at once"},
    "error_text_413": {"zh": "提交的内容太长了，请缩短后再试。", "en": "What you sent is too long; shorten it and try again."},
    "error_title_415": {"zh": "格式不对", "en": "Wrong format"},
    "error_text_415": {"zh": "请用网页上的表单提交。", "en": "Please use the form on the page."},
    "error_title_422": {"zh": "内容有误", "en": "Please check what you entered"},
    "error_text_422": {"zh": "有些内容不对，请返回修改。", "en": "Some of it is not valid; go back and correct it."},
    "error_title_429": {"zh": "操作太频繁了", "en": "Too many tries"},
    "error_text_429": {"zh": "为了防止滥用，每个人在一段时间内能提交的次数有限。", "en": "To stop abuse, everyone can only do this a limited number of times in a while."},
    "error_title_500": {"zh": "我们这边出错了", "en": "Something went wrong on our side"},
    "error_text_500": {"zh": "这不是你的问题。请稍后再试。", "en": "It is not your fault. Please try again later."},
    "error_title_503": {"zh": "暂时无法服务", "en": "Temporarily unavailable"},
    "error_text_503": {"zh": "系统正在忙，什么也没有保存。请过一会儿再试。", "en": "The service is busy and nothing was stored. Please try again shortly."},
    "error_title_other": {"zh": "出错了", "en": "Something went wrong"},
    "error_text_other": {"zh": "请返回再试一次。", "en": "Please go back and try again."},
}

LABELS: S = {
    "verdict.official": {"zh": "官方号码", "en": "Official number"},
    "verdict.scam": {"zh": "诈骗号码", "en": "Scam number"},
    "verdict.suspicious": {"zh": "可疑号码", "en": "Suspicious number"},
    "verdict.unknown": {"zh": "无法确认", "en": "Cannot confirm"},
    "verdict.invalid": {"zh": "不存在的号码", "en": "Impossible number"},
    "category.fake_customer_service": {"zh": "冒充客服", "en": "Fake customer service"},
    "category.refund_scam": {"zh": "退款、理赔诈骗", "en": "Refund or compensation scam"},
    "category.account_security_scam": {"zh": "账户异常、冻结、解封", "en": "Account “frozen” or “unusual”"},
    "category.loan_scam": {"zh": "贷款诈骗", "en": "Loan scam"},
    "category.investment_scam": {"zh": "投资理财诈骗", "en": "Investment scam"},
    "category.impersonating_authority": {"zh": "冒充公检法、政府", "en": "Posing as police, courts or officials"},
    "category.phishing_sms": {"zh": "钓鱼短信", "en": "Phishing SMS"},
    "category.harassment_marketing": {"zh": "骚扰、推销", "en": "Harassment or marketing"},
    "category.other": {"zh": "其他", "en": "Other"},
    "channel.incoming_call": {"zh": "打电话给我", "en": "They called me"},
    "channel.sms": {"zh": "短信", "en": "SMS"},
    "channel.web_page": {"zh": "网页", "en": "Web page"},
    "channel.search_ad": {"zh": "搜索广告", "en": "Search ad"},
    "channel.social_media": {"zh": "微信、QQ 等社交软件", "en": "Social media or chat app"},
    "channel.other": {"zh": "其他", "en": "Other"},
    "context.incoming_call": {"zh": "它打电话给我", "en": "It called me"},
    "context.outgoing_call": {"zh": "我准备拨打它", "en": "I am about to call it"},
    "context.sms": {"zh": "短信里看到的", "en": "In an SMS"},
    "context.web": {"zh": "网页或广告上看到的", "en": "On a web page or ad"},
    "report_status.pending": {"zh": "待审核", "en": "Pending"},
    "report_status.approved": {"zh": "已确认", "en": "Approved"},
    "report_status.rejected": {"zh": "已驳回", "en": "Rejected"},
    "report_status.overturned": {"zh": "申诉后撤销", "en": "Overturned on appeal"},
    "appeal_status.pending": {"zh": "待处理", "en": "Pending"},
    "appeal_status.upheld": {"zh": "维持判定", "en": "Upheld"},
    "appeal_status.lifted": {"zh": "已撤销判定", "en": "Lifted"},
    "org_category.bank": {"zh": "银行", "en": "Bank"},
    "org_category.payment": {"zh": "支付", "en": "Payments"},
    "org_category.insurer": {"zh": "保险", "en": "Insurance"},
    "org_category.securities": {"zh": "证券", "en": "Securities"},
    "org_category.telecom": {"zh": "电信运营商", "en": "Telecom"},
    "org_category.government": {"zh": "政府和公共服务", "en": "Government and public services"},
    "org_category.ecommerce": {"zh": "电商", "en": "E-commerce"},
    "org_category.transport": {"zh": "交通出行", "en": "Transport"},
    "org_category.logistics": {"zh": "快递物流", "en": "Express and logistics"},
    "org_category.other": {"zh": "其他", "en": "Other"},
    "digit_kind.card_tail": {"zh": "银行卡或账户尾号", "en": "card or account digits"},
    "digit_kind.own_number": {"zh": "您自己的号码", "en": "your own number"},
    "digit_kind.code": {"zh": "验证码", "en": "a verification code"},
    "digit_kind.amount": {"zh": "金额", "en": "an amount"},
    "digit_kind.date_time": {"zh": "日期或时间", "en": "a date or time"},
    "digit_kind.order_code": {"zh": "订单号、快递单号或取件码", "en": "an order, tracking or pickup code"},
    "digit_kind.in_url": {"zh": "链接或邮箱里的数字", "en": "part of a link or e-mail address"},
    "digit_kind.masked": {"zh": "被部分隐藏的号码", "en": "a partly hidden number"},
    "digit_kind.other": {"zh": "不像电话号码", "en": "does not look like a phone number"},
    "digit_kind.phone": {"zh": "电话号码", "en": "a phone number"},
    "number_channel.hotline": {"zh": "客服热线", "en": "Hotline"},
    "number_channel.credit_card": {"zh": "信用卡", "en": "Credit card"},
    "number_channel.overseas": {"zh": "境外拨打", "en": "From abroad"},
    "number_channel.sms_sender": {"zh": "短信发送号码", "en": "SMS sender"},
    "number_channel.outbound": {"zh": "外呼号码", "en": "Outbound calls"},
    "number_group.main": {"zh": "主客服热线", "en": "Main hotline"},
    "number_group.hotline": {"zh": "客服热线", "en": "Hotlines"},
    "number_group.hotline_more": {"zh": "其他客服热线", "en": "Other hotlines"},
    "number_group.credit_card": {"zh": "信用卡中心", "en": "Credit cards"},
    "number_group.overseas": {"zh": "在境外拨打", "en": "Calling from abroad"},
    "number_group.outbound": {"zh": "外呼号码（机构打给你）", "en": "Outbound lines (they call you)"},
    "number_group.sms_sender": {"zh": "短信发送号码（只发短信，不能回拨）", "en": "SMS senders (they only send SMS: cannot be called)"},
    "confidence_tag.official_page": {"zh": "可信度高：官方公布", "en": "High confidence: published officially"},
    "confidence_tag.multiple_sources": {"zh": "可信度较高：多个来源一致", "en": "Fairly high confidence: several sources agree"},
    "direction.inbound_only": {"zh": "只接听", "en": "Receives calls only"},
    "direction.calls_out": {"zh": "会主动外呼", "en": "Also calls out"},
    "direction.unknown": {"zh": "不确定", "en": "Unknown"},
    "role.moderator": {"zh": "审核员", "en": "moderator"},
    "role.admin": {"zh": "管理员", "en": "administrator"},
}

STRINGS: S = {}
for _part in (LAYOUT, HOME, REPORT, ORGS, CONSOLE, ADMIN, ERRORS, LABELS):
    _overlap = STRINGS.keys() & _part.keys()
    assert not _overlap, f"UI string keys defined twice: {sorted(_overlap)}"
    STRINGS.update(_part)


def translate(key: str, lang: Lang, **fields: object) -> str:
    """The UI string `key` in `lang` (a KeyError for an unknown key: never a silent fallback)."""
    text = STRINGS[key][lang]
    return text.format(**fields) if fields else text


class Translator:
    """`t` in templates: t(KEY, field=...), t.label("verdict", value), t.confidence(level)."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, **fields: object) -> str:
        return translate(key, self.lang, **fields)

    def label(self, kind: str, value: object) -> str:
        return translate(f"{kind}.{getattr(value, 'value', value)}", self.lang)

    def confidence(self, level: object) -> str:
        return messages.confidence(str(getattr(level, "value", level)), self.lang)


def other_lang(lang: Lang) -> Lang:
    return "en" if lang == "zh" else "zh"


def lang_of(request: web.Request) -> Lang:
    """`lang` in the query, else the switch link's cookie, else Chinese."""
    for candidate in (request.query.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate == "zh" or candidate == "en":
            return candidate
    return DEFAULT_LANG
