"""Every sentence the verdict engine says, in Chinese and English, in one place.

Templates use ``str.format`` fields; a missing translation is a test failure
(tests/core/test_messages.py), never a silent fallback.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

REASONS: dict[str, dict[Lang, str]] = {
    "registry_match": {
        "zh": "这是{org}的官方号码（来源：{source}，可信度：{confidence}）。",
        "en": "This is an official number of {org} (source: {source}; confidence: {confidence}).",
    },
    "registry_match_shared": {
        "zh": "这个号码同时登记为以下机构的官方号码：{orgs}。",
        "en": "This number is listed as official for several organisations: {orgs}.",
    },
    "claimed_org_mismatch": {
        "zh": "这不是{claimed}的官方号码。{claimed}的官方号码是：{numbers}。",
        "en": "This is not an official number of {claimed}. {claimed}'s official numbers are: {numbers}.",
    },
    "claimed_org_mismatch_other_owner": {
        "zh": "这个号码属于{owner}，不是{claimed}。{claimed}的官方号码是：{numbers}。",
        "en": "This number belongs to {owner}, not to {claimed}. {claimed}'s official numbers are: {numbers}.",
    },
    "claimed_org_unknown": {
        "zh": "我们的名录里没有“{claimed}”这个机构，无法核对它的号码。",
        "en": "We have no organisation called \u201c{claimed}\u201d in our registry, so we cannot check its numbers.",
    },
    "claimed_org_ambiguous": {
        "zh": "“{claimed}”可能指多个机构（{orgs}），请写得更具体一些。",
        "en": "\u201c{claimed}\u201d could mean several organisations ({orgs}); please be more specific.",
    },
    "foreign_prefix_impersonation": {
        "zh": "这是从国外拨入的号码（+{country_code}，{country}），只是看起来像{org}的官方号码 {official}。",
        "en": "This number is dialled from abroad (+{country_code}, {country}); it only looks like {org}'s official number {official}.",
    },
    "lookalike": {
        "zh": "这个号码和{org}的官方号码 {official} 只差一位，是仿冒号码的常见手法。",
        "en": "This number is one digit away from {org}'s official number {official}, a common trick of fake hotlines.",
    },
    "letters_substituted": {
        "zh": "号码里有字母冒充数字（如 l 代替 1、O 代替 0），看起来像{org}的官方号码 {official}。",
        "en": "Letters stand in for digits in this number (such as l for 1, O for 0); it imitates {org}'s official number {official}.",
    },
    "inbound_only_spoof": {
        "zh": "这个号码只接听来电、从不主动外呼；显示它的来电是伪造的。",
        "en": "This number only receives calls and never calls out: a call showing it is spoofed.",
    },
    "missing_area_code": {
        "zh": "{official} 的真实来电会显示为“区号+{official}”，没有区号的来电可能是伪造的。",
        "en": "Genuine calls from {official} show an area code in front of it; a call without one may be spoofed.",
    },
    "virtual_operator_range": {
        "zh": "这是虚拟运营商号段（170/171/162/165/167），常被诈骗分子使用。",
        "en": "This number is in a virtual-operator mobile range (170/171/162/165/167), often used by scammers.",
    },
    "virtual_operator_claims_institution": {
        "zh": "银行和支付机构不会用虚拟运营商号码联系客户。",
        "en": "Banks and payment companies do not contact customers from virtual-operator numbers.",
    },
    "premium_rate": {
        "zh": "这是高额付费号码，回拨可能被收取高额费用。",
        "en": "This is a premium-rate number: calling it back may cost a lot.",
    },
    "invalid_number": {
        "zh": "这个号码不可能存在（位数或号段不对），来电显示很可能是伪造的。",
        "en": "This number cannot exist (wrong length or range); a caller ID showing it is most likely forged.",
    },
    "confirmed_reports": {
        "zh": "经审核员核实，这个号码被确认用于诈骗（{count} 条已确认举报）。",
        "en": "Moderators confirmed this number is used for scams ({count} confirmed report(s)).",
    },
    "pending_reports": {
        "zh": "{count} 个不同的举报人或数据来源举报了这个号码，正在审核中。",
        "en": "{count} different people or complaint sources have reported this number; the reports are being reviewed.",
    },
    "official_number_spoofed": {
        "zh": "骗子正在冒用这个官方号码（{count} 条举报）：请挂断，自己回拨核实。",
        "en": "Scammers are imitating this number ({count} report(s)): hang up and call back yourself.",
    },
    "resembles_official": {
        "zh": "这个号码和{org}的官方号码 {official} 只差一位。如果对方自称是{org}，那就不是{org}的号码。",
        "en": "This number is one digit away from {org}'s official number {official}. If the caller says they are {org}, this is not {org}'s number.",
    },
    "claimed_org_not_in_list": {
        "zh": "我们的名录里没有把这个号码列为{claimed}的号码，但我们的名录并不完整。请在{claimed}的官方App或官网核对；已知的号码有：{numbers}。",
        "en": "This number is not in our list for {claimed}, but our list of its numbers is not complete. Check it in {claimed}'s official app or website; the numbers we know are: {numbers}.",
    },
    "reports_under_review": {
        "zh": "有 {count} 条关于这个号码的举报（来自 {reporters} 位用户）正在审核中，尚未确认。",
        "en": "{count} report(s) about this number (from {reporters} person/people) are being reviewed and are not confirmed yet.",
    },
    "area_code_needed": {
        "zh": "{local_code} 是地方服务号码，每个城市各不相同（例如长沙的 0731 {local_code} 和成都的 028 {local_code} 不是同一个号码）。请告诉我们是哪个城市：在前面加上区号再查。",
        "en": "{local_code} is a local service code that differs from city to city (Changsha's 0731 {local_code} is not Chengdu's 028 {local_code}). Which city is it? Check it again with the area code in front.",
    },
    "sms_sender": {
        "zh": "这是银行或平台发短信用的号码（106 开头），只能发送通知，不能回拨。",
        "en": "This is a bank's or platform's SMS sender code (starting 106): it sends notices and cannot be called back.",
    },
    "sms_sender_calling": {
        "zh": "106 开头的号码只用来发短信，不会打电话；显示它的来电是伪造的。",
        "en": "Numbers starting 106 only send text messages and never make calls: a call showing one is spoofed.",
    },
    # A pasted text as a whole (verifier.core.text.verdict).
    "text_number_scam": {
        "zh": "信息里的号码 {number} 是已确认的诈骗号码。",
        "en": "The number {number} in this message is a confirmed scam number.",
    },
    "text_number_suspicious": {
        "zh": "信息里的号码 {number} 可疑：{detail}",
        "en": "The number {number} in this message is suspicious: {detail}",
    },
    "text_link_suspicious": {
        "zh": "信息里的链接 {link} 可疑：{detail}",
        "en": "The link {link} in this message is suspicious: {detail}",
    },
    "text_cue_with_channel": {
        "zh": "信息以“{cues}”为由，却让你通过不是机构自己的渠道联系（{channels}）：这是诈骗信息的典型手法。",
        "en": "The message uses a scam pretext ({cues}) and sends you to a channel that is not the organisation's own ({channels}): the typical pattern of a fraud message.",
    },
    "text_all_official": {
        "zh": "信息里的号码和链接都是官方渠道。",
        "en": "Every number and link in this message is an official channel.",
    },
    "text_unconfirmed": {
        "zh": "我们无法确认信息里的这些号码或链接：{items}。",
        "en": "We cannot confirm these numbers or links in the message: {items}.",
    },
    "text_nothing_found": {
        "zh": "这条信息里没有可以核对的电话号码或链接。",
        "en": "This message has no phone number or link we could check.",
    },
    # Scam-script cues (verifier.core.text.cues).
    "cue_safe_account": {
        "zh": "信息提到“安全账户”或资金核查：银行和警方从不要求把钱转到“安全账户”，这一定是诈骗。",
        "en": "It mentions a \u201csafe account\u201d or a check of your funds: no bank and no police ever ask you to move money to a \u201csafe account\u201d. This is always a scam.",
    },
    "cue_authority_demands_money": {
        "zh": "信息自称公安、法院或检察院，并说到转账、保证金或“涉嫌洗钱”：公检法不会用电话或短信要求转账，这一定是诈骗。",
        "en": "It claims to be the police, a court or a prosecutor and speaks of transfers, deposits or \u201cmoney laundering\u201d: they never ask for money by phone or message. This is always a scam.",
    },
    "cue_account_frozen": {
        "zh": "信息说账户被冻结、异常或需要解冻：这是冒充客服诈骗最常见的说法。",
        "en": "It says an account is frozen or unusual, or needs unfreezing: the commonest pretext of fake customer service.",
    },
    "cue_refund_or_claim": {
        "zh": "信息提到退款、理赔或赔偿：骗子常以此为由索要银行卡信息和验证码。",
        "en": "It speaks of a refund, a claim or compensation: a common pretext to ask for card details and codes.",
    },
    "cue_points_redemption": {
        "zh": "信息说积分可以兑换或即将清零：这类短信常带有钓鱼链接。",
        "en": "It says points can be redeemed or are about to expire: such messages often carry a phishing link.",
    },
    "cue_etc_card": {
        "zh": "信息说ETC失效、过期或需要认证：这是常见的钓鱼短信。",
        "en": "It says an ETC card has expired, been deactivated or needs verifying: a common phishing message.",
    },
    "cue_medical_insurance_card": {
        "zh": "信息说医保卡被冻结、失效或异常：医保部门不会用短信或电话要求你操作或转账。",
        "en": "It says a medical-insurance card is frozen, expired or abnormal: the health-insurance authority does not ask you to act or pay by message or phone.",
    },
    "cue_credit_record": {
        "zh": "信息用“影响征信”施压：征信记录不能靠转账或“客服”修复。",
        "en": "It uses your credit record to pressure you: a credit record cannot be \u201crepaired\u201d by a transfer or a call.",
    },
    "cue_cancel_service": {
        "zh": "信息说要关闭“百万保障”、会员或自动扣费：这是冒充客服诈骗的常见说法。",
        "en": "It speaks of cancelling a \u201cmillion insurance\u201d, a membership or automatic payments: a common fake-customer-service pretext.",
    },
    "cue_new_number": {
        "zh": "信息自称熟人或房东换了新号码：谈钱之前，请用原来的号码或当面核实。",
        "en": "Someone says they are a friend or your landlord with a new number: check on the old number or in person before any talk of money.",
    },
    "cue_loan_or_credit_limit": {
        "zh": "信息提到贷款、提额或秒批：贷款诈骗常以此为诱饵，再收取“手续费”。",
        "en": "It offers a loan, a higher credit limit or instant approval: loan scams bait with this, then ask for \u201cfees\u201d.",
    },
    "cue_add_wechat_qq": {
        "zh": "信息要你加微信或QQ：正规机构的客服不会让你加个人微信或QQ办理业务。",
        "en": "It asks you to add a WeChat or QQ account: real customer service never handles your account over a personal WeChat or QQ.",
    },
    "cue_download_app": {
        "zh": "信息要你下载App、共享屏幕或加入会议：骗子借此看到你的验证码和密码。",
        "en": "It asks you to download an app, share your screen or join a meeting: that is how scammers see your codes and passwords.",
    },
    "cue_follow_unseen_link": {
        "zh": "信息要你点击链接、登录网站或拨打它给的号码，但我们看不到可以核对的网址或号码：请只用官方App或银行卡背面的号码。",
        "en": "It sends you to a link, website or number we cannot see to check: use only the official app or the number on your card.",
    },
    "cue_transfer_to_personal_account": {
        "zh": "信息要你把钱转到某个人的卡或账户上：正规机构和真正的警察都不会用短信让你这样做。不要转账，先当面或打官方电话核实。",
        "en": "It asks you to send money to a person's card or account: no real organisation or police officer asks that by text. Do not pay; check in person or on an official number first.",
    },
    "cue_rent_to_other_account": {
        "zh": "信息要你把房租或押金打到另一个人或新的账户上：这是冒充房东的典型诈骗，请当面或用原来的号码核实。",
        "en": "It asks you to pay rent or a deposit into someone else's or a new account: the classic fake-landlord scam. Check in person or on the old number.",
    },
    "cue_fee_charge": {
        "zh": "信息说要从你的卡上扣除年费或其他费用：骗子借此让你“联系客服取消”。",
        "en": "It says an annual fee or another charge will be taken from your card: a pretext to make you call “customer service” to cancel it.",
    },
    "cue_deadline_threat": {
        "zh": "信息用“即将停用、注销、失效或清零”催你马上行动：这是钓鱼短信常用的施压手法。",
        "en": "It threatens that something will be suspended, cancelled or expire to hurry you: a common pressure tactic of phishing messages.",
    },
    "cue_verify_identity": {
        "zh": "信息要你重新认证、核验或完善信息：正规机构不会通过短信里的链接或号码让你这样做。",
        "en": "It asks you to verify your identity or update your details: real organisations do not ask this through a link or number in a message.",
    },
    "cue_travel_disruption": {
        "zh": "信息说航班取消或延误，要你改签或退票：请只在航空公司或订票平台的官方App里办理。",
        "en": "It says a flight was cancelled or delayed and offers rebooking or a refund: do this only in the airline's or booking platform's official app.",
    },
    "cue_traffic_violation": {
        "zh": "信息说你有交通违章：违章只在“交管12123”App或官方网站查询。",
        "en": "It says you have a traffic violation: check violations only in the official Traffic Management 12123 app or website.",
    },
    "cue_lost_device": {
        "zh": "信息说你丢失的手机已被找到或定位：这是骗取Apple ID或账号密码的常见手法。",
        "en": "It says your lost phone has been found or located: a common trick to steal an Apple ID or account password.",
    },
    "cue_prize_or_gift": {
        "zh": "信息说你中奖、可以领取奖金、红包或补贴：天上不会掉馅饼。",
        "en": "It says you have won a prize or can claim a gift, bonus or subsidy: there is no free money.",
    },
    # Links in a pasted text (verifier.core.text.domains).
    "link_official": {
        "zh": "{host} 是{org}的官方网站。",
        "en": "{host} is an official website of {org}.",
    },
    "link_other_org_official": {
        "zh": "{host} 是{org}的官方网站，不是信息里说的{claimed}的网站。",
        "en": "{host} is an official website of {org}, not of {claimed}, whom the message names.",
    },
    "link_imitates_org": {
        "zh": "这个网址（{host}）不是{org}的官方网站（官方网站是 {domains}），而是模仿它的网址：不要点开，也不要在里面输入任何信息。",
        "en": "This address ({host}) is not {org}'s official website (that is {domains}) but one made to look like it: do not open it, and do not type anything into it.",
    },
    "link_imitates_org_no_site": {
        "zh": "这个网址（{host}）借用了{org}的名字，但我们没有它是{org}网站的记录，很可能是冒充的：不要点开，也不要在里面输入任何信息。",
        "en": "This address ({host}) borrows {org}'s name, but we have no record of it as {org}'s website and it is most likely an imitation: do not open it, and do not type anything into it.",
    },
    "link_ip_host": {
        "zh": "这个链接（{host}）只是一串数字，不是正规网站的网址：银行和正规机构不会发这样的链接，不要点开。",
        "en": "This link ({host}) is only a string of numbers, not a proper website name: banks and real organisations do not send links like this. Do not open it.",
    },
    "link_shortener": {
        "zh": "这是一个短网址（{host}），看不出它真正通向哪里：不要点开。要办事，请自己打开官方App或官方网站。",
        "en": "This is a shortened link ({host}): you cannot see where it really leads. Do not open it; go to the official app or website yourself.",
    },
    "link_unrelated": {
        "zh": "这个网址（{host}）不是{org}的官方网站（{org}的官方网站是 {domains}）：不要在里面输入密码、验证码或银行卡信息。",
        "en": "This address ({host}) is not {org}'s official website ({org}'s official websites: {domains}): do not type passwords, codes or card details into it.",
    },
    "link_unverifiable": {
        "zh": "我们无法确认这个网址（{host}）是不是{org}的官方网站。不要在里面输入密码或验证码，请自己打开{org}的官方App办理。",
        "en": "We cannot confirm whether this address ({host}) is {org}'s official website. Do not type passwords or codes into it; use {org}'s official app yourself.",
    },
    "link_unknown": {
        "zh": "我们不认识这个网址（{host}）。不要在陌生的网页里输入密码、验证码或银行卡信息。",
        "en": "We do not know this address ({host}). Never type passwords, codes or card details into an unfamiliar web page.",
    },
    "no_signal": {
        "zh": "我们的名录和举报中都没有这个号码的记录。",
        "en": "Neither our registry nor our reports know anything about this number.",
    },
}

ADVICE: dict[str, dict[Lang, str]] = {
    "official": {
        "zh": "这是官方号码。但骗子可以伪造来电显示：如果对方要求转账、提供验证码或下载软件，请挂断，自己拨打这个号码核实。",
        "en": "This is an official number. Caller ID can be forged, though: if the caller asks you to transfer money, give a code or install an app, hang up and call this number yourself.",
    },
    "official_spoofed": {
        "zh": "骗子正在冒用这个官方号码。请挂断，自己拨打银行卡背面或官方App里的号码核实。",
        "en": "Scammers are imitating this official number. Hang up and call back yourself on the number printed on your card or in the official app.",
    },
    "scam": {
        "zh": "这是已确认的诈骗号码。请立即挂断，不要转账、不要提供验证码或密码；如已受骗，请拨打110或96110。",
        "en": "This is a confirmed scam number. Hang up now; do not transfer money or share codes or passwords. If you have already paid, call the police on 110 or the anti-fraud line 96110.",
    },
    "suspicious": {
        "zh": "这个号码很可疑。请不要回拨、不要转账；请拨打银行卡背面或官方App里的号码，自己核实。",
        "en": "This number is suspicious. Do not call it back or transfer money; call the number printed on your card or in the official app to check.",
    },
    "unknown": {
        "zh": "我们无法确认这个号码。请通过银行卡背面或官方App里的号码回拨核实，不要按来电者的要求操作。",
        "en": "We cannot confirm this number. Call the organisation back on the number printed on your card or in its official app, and do not follow the caller's instructions.",
    },
    "not_in_list": {
        "zh": "我们无法确认这个号码。请在该机构的官方App或官网上核对客服电话，不要按来电者或短信的要求操作。",
        "en": "We cannot confirm this number. Look up the organisation's customer-service number in its official app or website, and do not follow the caller's or message's instructions.",
    },
    "area_code_needed": {
        "zh": "请加上区号再查一次（例如 0731-96511）。不知道区号时，请拨打银行卡背面或官方App里的号码。",
        "en": "Check again with the area code in front (such as 0731-96511). If you do not know it, call the number printed on your card or in the official app.",
    },
    "sms_sender": {
        "zh": "短信号码不能回拨。如需联系这家机构，请拨打银行卡背面或官方App里的客服电话；不要点短信里陌生的链接。",
        "en": "An SMS sender code cannot be called back. To reach the organisation, call the number on your card or in its official app; do not tap unfamiliar links in the message.",
    },
    "official_sms_sender": {
        "zh": "这是该机构登记的短信发送号码，不能回拨。短信也可能被伪造：不要点陌生链接、不要提供验证码，有疑问请拨打官方客服电话。",
        "en": "This is the organisation's listed SMS sender code; it cannot be called back. Messages can be forged too: do not tap unfamiliar links or share codes, and call the official hotline if in doubt.",
    },
    "invalid": {
        "zh": "这不是一个有效的号码。如果它出现在来电显示上，说明来电被伪造，请挂断。",
        "en": "This is not a valid number. If it appeared as a caller ID, the call was forged: hang up.",
    },
    # A pasted text as a whole (verifier.core.text.verdict).
    "text_official": {
        "zh": "信息里的号码和链接都是官方的。但短信也可能伪造：不要把验证码告诉任何人，有疑问请自己打开官方App或拨打银行卡背面的号码。",
        "en": "The numbers and links in this message are official. Messages can be forged, though: never share a code, and if in doubt open the official app or call the number on your card yourself.",
    },
    "text_suspicious": {
        "zh": "这条信息很可疑。不要点链接、不要回拨、不要加微信或下载软件、不要转账；请自己拨打银行卡背面或官方App里的号码核实。",
        "en": "This message is suspicious. Do not tap its links, call back, add anyone on WeChat, install an app or transfer money; call the number on your card or in the official app to check.",
    },
    "text_unknown": {
        "zh": "我们无法确认这条信息。不要点里面的链接，不要按信息的要求操作；请自己打开官方App或拨打银行卡背面的号码核实。",
        "en": "We cannot confirm this message. Do not tap its links or do what it asks; open the official app or call the number on your card yourself to check.",
    },
    "text_scam": {
        "zh": "这条信息里有已确认的诈骗号码。不要回拨、不要转账、不要提供验证码；如已受骗，请拨打110或96110。",
        "en": "This message contains a confirmed scam number. Do not call back, transfer money or share codes. If you have already paid, call the police on 110 or the anti-fraud line 96110.",
    },
}

CUE_NAMES: dict[str, dict[Lang, str]] = {
    "cue_safe_account": {"zh": "安全账户", "en": "a \u201csafe account\u201d"},
    "cue_authority_demands_money": {"zh": "公检法要求转账", "en": "police or a court asking for money"},
    "cue_account_frozen": {"zh": "账户冻结、异常", "en": "a frozen or unusual account"},
    "cue_refund_or_claim": {"zh": "退款、理赔", "en": "a refund or claim"},
    "cue_points_redemption": {"zh": "积分兑换、清零", "en": "points to redeem"},
    "cue_etc_card": {"zh": "ETC失效", "en": "an expiring ETC card"},
    "cue_medical_insurance_card": {"zh": "医保卡异常", "en": "a medical-insurance card problem"},
    "cue_credit_record": {"zh": "影响征信", "en": "your credit record"},
    "cue_cancel_service": {"zh": "关闭百万保障、会员或自动扣费", "en": "cancelling an insurance, membership or automatic payment"},
    "cue_new_number": {"zh": "熟人换了新号码", "en": "someone's new number"},
    "cue_loan_or_credit_limit": {"zh": "贷款、提额", "en": "a loan or credit limit"},
    "cue_add_wechat_qq": {"zh": "加微信或QQ", "en": "adding a WeChat or QQ account"},
    "cue_download_app": {"zh": "下载App、共享屏幕", "en": "downloading an app or sharing your screen"},
    "cue_follow_unseen_link": {"zh": "点击链接或拨打所给号码", "en": "following a link or number it gives"},
    "cue_transfer_to_personal_account": {"zh": "把钱转到个人账户", "en": "money sent to a person's account"},
    "cue_rent_to_other_account": {"zh": "房租打到另一个账户", "en": "rent paid into another account"},
    "cue_fee_charge": {"zh": "扣除年费或费用", "en": "a fee to be charged"},
    "cue_deadline_threat": {"zh": "即将停用、注销或失效", "en": "a threat of suspension or expiry"},
    "cue_verify_identity": {"zh": "重新认证、核验信息", "en": "verifying your identity or details"},
    "cue_travel_disruption": {"zh": "航班取消、改签退票", "en": "a cancelled flight"},
    "cue_traffic_violation": {"zh": "交通违章", "en": "a traffic violation"},
    "cue_lost_device": {"zh": "丢失的手机被找到", "en": "a lost phone found"},
    "cue_prize_or_gift": {"zh": "中奖、领取奖金或补贴", "en": "a prize, gift or subsidy"},
}

CONFIDENCE: dict[str, dict[Lang, str]] = {
    "official_page": {"zh": "机构官网或官方文件公布，可信度高", "en": "published by the organisation or an official document: high confidence"},
    "multiple_sources": {"zh": "多个独立来源一致，可信度较高", "en": "several independent sources agree: fairly high confidence"},
    "single_source": {"zh": "仅见于一个第三方名录，尚未经官方确认", "en": "seen in one third-party list only, not confirmed officially"},
}
UNCONFIRMED_NUMBER: dict[Lang, str] = {"zh": "{number}（尚未确认）", "en": "{number} (not confirmed)"}

LIST_SEPARATOR: dict[Lang, str] = {"zh": "、", "en": ", "}


def reason(code: str, lang: Lang, **fields: object) -> str:
    return REASONS[code][lang].format(**fields)


def advice(key: str, lang: Lang) -> str:
    return ADVICE[key][lang]


def cue_name(code: str, lang: Lang) -> str:
    return CUE_NAMES[code][lang]


def confidence(level: str, lang: Lang) -> str:
    return CONFIDENCE[level][lang]


def number_with_caveat(number: str, level: str, lang: Lang) -> str:
    """A number to call, marked when only one third-party list gives it."""
    return UNCONFIRMED_NUMBER[lang].format(number=number) if level == "single_source" else number


def join(items: list[str], lang: Lang) -> str:
    return LIST_SEPARATOR[lang].join(items)
