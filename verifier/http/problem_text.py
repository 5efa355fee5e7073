"""Every sentence of an API problem, in English and Chinese, in one place.

A problem's ``title`` and ``detail`` (and each ``errors[].message``) follow the request's
language (verifier.http.problems.problem_lang); its machine codes (``type``, ``errors[].code``)
never change with it. A sentence is made once, in both languages, where the problem is raised
(`say`), and picked when the response is written. A missing translation is a test failure
(tests/http/test_problem_text.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from verifier.core.messages import Lang


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence in both languages."""

    en: str
    zh: str

    def __str__(self) -> str:
        return self.en

    def in_lang(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


TITLES: dict[int, dict[Lang, str]] = {
    400: {"en": "Bad request", "zh": "请求有误"},
    401: {"en": "Authentication required", "zh": "需要身份验证"},
    403: {"en": "Forbidden", "zh": "无权访问"},
    404: {"en": "Not found", "zh": "未找到"},
    405: {"en": "Method not allowed", "zh": "不支持此方法"},
    409: {"en": "Conflict", "zh": "冲突"},
    413: {"en": "Request too large", "zh": "请求太大"},
    414: {"en": "Request line too long", "zh": "请求地址太长"},
    415: {"en": "Unsupported media type", "zh": "不支持的内容类型"},
    422: {"en": "Invalid input", "zh": "输入无效"},
    429: {"en": "Too many requests", "zh": "请求太频繁"},
    431: {"en": "Request headers too large", "zh": "请求头太大"},
    500: {"en": "Internal error", "zh": "内部错误"},
    503: {"en": "Service unavailable", "zh": "服务暂不可用"},
}

DETAILS: dict[str, dict[Lang, str]] = {
    # 400
    "malformed-json": {"en": "The body is not valid JSON: {error}", "zh": "请求体不是有效的 JSON：{error}"},
    "bad-http": {"en": "The request is not valid HTTP.", "zh": "这不是有效的 HTTP 请求。"},
    # 401, 403
    "not-an-api-key": {"en": "That is not an API key (they start with hvk_).",
                       "zh": "这不是 API 密钥（API 密钥以 hvk_ 开头）。"},
    "unknown-api-key": {"en": "This API key is unknown or was revoked.", "zh": "这个 API 密钥不存在或已被吊销。"},
    "log-in-first": {"en": "Log in first: send Authorization: Bearer <token> from /api/v1/auth/login.",
                     "zh": "请先登录：发送 /api/v1/auth/login 给出的 Authorization: Bearer <token>。"},
    "login-expired": {"en": "This login token is unknown or has expired; log in again.",
                      "zh": "这个登录令牌不存在或已过期，请重新登录。"},
    "login-failed": {"en": "Wrong username or password.", "zh": "用户名或密码错误。"},
    "admin-only": {"en": "This needs an administrator.", "zh": "这需要管理员权限。"},
    "csrf-token-needed": {"en": "A write authorised by the console's login cookie needs that login's CSRF token in "
                                "{header}; or send Authorization: Bearer <token> from /api/v1/auth/login.",
                          "zh": "用控制台登录 Cookie 授权的写操作必须在 {header} 中附带该登录的 CSRF 令牌；"
                                "或改用 /api/v1/auth/login 给出的 Authorization: Bearer <token>。"},
    # 404, 405, 409
    "nothing-here": {"en": "There is nothing at this address.", "zh": "这个地址没有内容。"},
    "not-found": {"en": "{what}", "zh": "没有找到：{what}"},
    "no-such-org": {"en": "No organisation has the id {org_id!r}.", "zh": "没有 id 为 {org_id!r} 的机构。"},
    "method-not-allowed": {"en": "This address does not accept {method}.", "zh": "这个地址不接受 {method} 请求。"},
    "no-such-item": {"en": "No such {what}: {value!r}.", "zh": "没有这个{what}：{value!r}。"},
    "conflict": {"en": "{what}", "zh": "与现有数据冲突：{what}"},
    # 413, 414, 415, 431
    "body-too-large": {"en": "The request body is larger than this endpoint accepts.",
                       "zh": "请求体超过了这个接口接受的大小。"},
    "batch-too-large": {"en": "A batch holds at most {limit} items (got {count}).",
                        "zh": "一批最多 {limit} 项（收到 {count} 项）。"},
    "text-too-many-checks": {"en": "A text is checked for at most {limit} phone numbers and links together; this one "
                                   "holds more. Send the part that matters, or the numbers in a batch.",
                             "zh": "一段文本最多检查 {limit} 个电话号码和链接（合计）；这段文本超过了。请只发送相关的部分，或把号码分批核验。"},
    "request-line-too-long": {"en": "The request line (method and address) is longer than {limit} bytes.",
                              "zh": "请求行（方法和地址）超过了 {limit} 字节。"},
    "headers-too-large": {"en": "A request header is longer than {limit} bytes, or there are too many headers.",
                          "zh": "某个请求头超过了 {limit} 字节，或请求头太多。"},
    "unsupported-media-type": {"en": "Send the body as application/json (got {got}).",
                               "zh": "请以 application/json 发送请求体（收到的是 {got}）。"},
    # 422
    "body-not-an-object": {"en": "The body must be a JSON object.", "zh": "请求体必须是一个 JSON 对象。"},
    "repeated-parameters": {"en": "Give each parameter once ({names} repeated).",
                            "zh": "每个参数只能给一次（重复的有：{names}）。"},
    "field-problem": {"en": "{field}: {message}", "zh": "{field}：{message}"},
    "key-differs": {"en": "number: the body's number ({body_key}) is not the one in the path ({path_key})",
                    "zh": "number：请求体里的号码（{body_key}）不是路径里的号码（{path_key}）"},
    "bad-prefix": {"en": "prefix: give the first 4 to 6 hex digits of the SHA-256 of the canonical key.",
                   "zh": "prefix：请给出规范号码键 SHA-256 的前 4 到 6 位十六进制数字。"},
    # 429
    "rate-limited": {"en": "Too many requests: the limit is {limit} per {period} seconds.",
                     "zh": "请求太频繁：每 {period} 秒最多 {limit} 次。"},
    "login-throttled": {"en": "Too many failed logins; wait before trying again.",
                        "zh": "登录失败次数太多，请稍后再试。"},
    # 500, 503
    "internal": {"en": "Something went wrong on our side.", "zh": "我们这边出了问题。"},
    "database-unreachable": {"en": "The database cannot be reached.", "zh": "无法连接数据库。"},
    "registry-not-loaded": {"en": "The registry is not loaded.", "zh": "名录尚未加载。"},
    "store-unavailable": {"en": "The database cannot take writes right now; nothing was stored. Try again later.",
                          "zh": "数据库暂时无法写入，什么也没有保存。请稍后再试。"},
}

# 400 not-a-number, by verifier.core.numbers.model.NotANumber's code. English: the reader's own
# sentence (it names what it read); Chinese: these.
NOT_A_NUMBER: dict[str, str] = {
    "empty": "没有输入号码。",
    "no_digits": "这里面没有数字，不是电话号码。",
    "too_long": "太长了，不可能是电话号码（最多 {max_chars} 个字符、20 位数字）。",
    "too_short": "数字太少，不是电话号码（至少 3 位）。",
    "bad_characters": "号码里有电话号码不会有的字母或符号。",
    "unknown_region": "不认识这个地区代码。",
}
NOT_A_NUMBER_DEFAULT = "这不是电话号码。"

# 422: pydantic's error types (errors[].code), in Chinese; English is pydantic's own message.
FIELD_ERRORS: dict[str, str] = {
    "missing": "缺少这个字段",
    "extra_forbidden": "不接受这个字段",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "string_too_short": "至少 {min_length} 个字符",
    "statement_too_short": "太短了：至少写 {min_cjk} 个汉字，或 {min_length} 个字符",  # an appeal (schemas/moderation.py)
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "string_pattern_mismatch": "格式不对",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "datetime_type": "应为 ISO 8601 日期时间",
    "datetime_parsing": "应为 ISO 8601 日期时间",
    "datetime_from_date_parsing": "应为 ISO 8601 日期时间",
    "date_type": "应为日期",
    "date_parsing": "应为日期",
    "url_type": "应为链接",
    "url_parsing": "不是有效的链接",
    "url_scheme": "链接应以 http:// 或 https:// 开头",
    "value_error": "取值无效",
    "expected": "取值无效",  # the (body) of a request that is not an object: see verifier.http.io
}
FIELD_ERROR_DEFAULT = "取值无效"


def say(key: str, **params: Any) -> Sentence:
    """The sentence `key` of DETAILS, its fields filled in, in both languages."""
    entry = DETAILS[key]
    return Sentence(entry["en"].format(**params), entry["zh"].format(**params))


def title(status: int, lang: Lang) -> str:
    entry = TITLES.get(status)
    if entry is None:
        return "错误" if lang == "zh" else "Error"
    return entry[lang]


def not_a_number(code: str, english: str, max_chars: int) -> Sentence:
    zh = NOT_A_NUMBER.get(code, NOT_A_NUMBER_DEFAULT).format(max_chars=max_chars)
    return Sentence(english, zh)


def field_error(code: str, english: str, context: dict[str, Any] | None) -> Sentence:
    template = FIELD_ERRORS.get(code, FIELD_ERROR_DEFAULT)
    try:
        zh = template.format(**(context or {}))
    except (KeyError, IndexError):
        zh = FIELD_ERROR_DEFAULT
    return Sentence(english, zh)
