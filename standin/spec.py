"""Check Bot API calls against the machine-readable spec (tests/telegram-bot-api/api.json)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from standin.html import HtmlError, plain_text, utf16_len

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "tests" / "telegram-bot-api" / "api.json"
ATTACH = "attach://"
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
EDIT_WINDOW_SECONDS = 48 * 3600  # Telegram refuses to edit a bot's messages older than 48 hours
CALLBACK_DATA_BYTES = 64
CALLBACK_ANSWER_LIMIT = 200
_INT = re.compile(r"-?\d+")
# a subtype's discriminator: BotCommandScopeChat.type "must be chat", ChatMemberOwner.status 'always "creator"'
_CONSTANT = re.compile(r'(?:must be|always) [“"]?([a-z_]+)[”"]?\.?$')


@dataclass
class Checked:
    """A call after checking: canonical method name, params decoded to JSON values, and violations.

    `schema` holds what the spec forbids (unknown method/parameter, missing or mistyped values);
    `limits` holds what Telegram itself refuses with a 400 (text lengths, bad HTML, callback_data).
    """

    method: str | None
    params: dict[str, Any]
    schema: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[str]:
        return self.schema + self.limits


class ApiSpec:
    def __init__(self, path: str | Path | None = None) -> None:
        data = json.loads(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
        self.version: str = data["version"]
        self.methods: dict[str, dict[str, dict]] = {
            name: {f["name"]: f for f in m.get("fields", [])} for name, m in data["methods"].items()
        }
        self.returns: dict[str, list[str]] = {name: m["returns"] for name, m in data["methods"].items()}
        self.types: dict[str, dict] = data["types"]
        # each object type's fields by name, and the discriminator constants of `type`/`status` fields
        self._fields: dict[str, dict[str, dict]] = {
            name: {f["name"]: f for f in t.get("fields", [])} for name, t in self.types.items()
        }
        self._constants: dict[tuple[str, str], str] = {
            (name, key): m.group(1)
            for name, fields in self._fields.items()
            for key, f in fields.items()
            if key in ("type", "status") and (m := _CONSTANT.search(f["description"]))
        }
        self._by_lower = {name.lower(): name for name in self.methods}

    def canonical(self, method: str) -> str | None:
        """The spec's spelling of a method (Telegram matches method names case-insensitively)."""
        return self._by_lower.get(method.lower())

    def check_call(self, method: str, params: dict, files: dict | None = None) -> list[str]:
        return self.validate(method, params, files).violations

    def validate(self, method: str, params: dict, files: dict | None = None) -> Checked:
        files = files or {}
        name = self.canonical(method)
        if name is None:
            return Checked(None, dict(params), [f"unknown method {method!r}"])
        checked = Checked(name, {})
        if name != method:
            checked.schema.append(f"{method}: method name differs in case from {name!r}")
        fields = self.methods[name]
        given = dict(params)
        for key in files:  # a file posted directly under the parameter's name
            if key in fields and key not in given:
                given[key] = ATTACH + key
        for key, value in given.items():
            spec_field = fields.get(key)
            if spec_field is None:
                checked.schema.append(f"{name}: unknown parameter {key!r}")
                checked.params[key] = value
                continue
            value = self._decode(value, spec_field["types"], f"{name}.{key}", checked.schema)
            checked.params[key] = value
            checked.schema.extend(self._check(value, spec_field["types"], f"{name}.{key}", files))
        for key, spec_field in fields.items():
            if spec_field["required"] and key not in given:
                checked.schema.append(f"{name}: missing required parameter {key!r}")
        checked.limits.extend(self._limits(name, checked.params))
        return checked

    # -- types ---------------------------------------------------------------------------------
    @staticmethod
    def _decode(value: Any, types: list[str], path: str, errors: list[str]) -> Any:
        """Form fields arrive as strings; nested objects and numbers JSON-encoded, as aiogram sends them."""
        if not isinstance(value, str):
            return value
        if "String" in types:
            if "Integer" in types and _INT.fullmatch(value):
                return int(value)
            return value
        if "InputFile" in types and value.startswith(ATTACH):
            return value
        try:
            return json.loads(value)
        except ValueError:
            errors.append(f"{path}: {value[:40]!r} is not a JSON {' or '.join(types)}")
            return value

    def _check(self, value: Any, types: list[str], path: str, files: dict) -> list[str]:
        best: list[str] = []
        best_score: tuple[int, int] | None = None
        for type_name in types:
            errors = self._check_one(value, type_name, path, files)
            if not errors:
                return []
            # the likeliest intended type: fewest unknown fields and wrong discriminators here, then fewest errors
            local = (f"{path}: unknown field", f"{path}.type:", f"{path}.status:")
            score = (sum(e.startswith(local) for e in errors), len(errors))
            if best_score is None or score < best_score:
                best, best_score = errors, score
        return best

    def _check_one(self, value: Any, type_name: str, path: str, files: dict) -> list[str]:
        def wrong() -> list[str]:
            return [f"{path}: expected {type_name}, got {type(value).__name__} {str(value)[:40]!r}"]

        if type_name == "Integer":
            return [] if isinstance(value, int) and not isinstance(value, bool) else wrong()
        if type_name == "Float":
            return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else wrong()
        if type_name == "Boolean":
            return [] if isinstance(value, bool) else wrong()
        if type_name == "True":
            return [] if value is True else wrong()
        if type_name == "String":
            if not isinstance(value, str):
                return wrong()
            if value.startswith(ATTACH) and value[len(ATTACH) :] not in files:
                return [f"{path}: {value!r} names no uploaded file"]
            return []
        if type_name == "InputFile":
            if isinstance(value, str) and value.startswith(ATTACH):
                return [] if value[len(ATTACH) :] in files else [f"{path}: {value!r} names no uploaded file"]
            return wrong()
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return wrong()
            inner = type_name.removeprefix("Array of ")
            return [e for i, item in enumerate(value) for e in self._check_one(item, inner, f"{path}[{i}]", files)]
        spec_type = self.types.get(type_name)
        if spec_type is None:
            return [f"{path}: unknown type {type_name}"]
        if "subtypes" in spec_type:
            return self._check(value, spec_type["subtypes"], path, files)
        if not isinstance(value, dict):
            return wrong()
        fields = self._fields[type_name]
        errors = [f"{path}: unknown field {key!r} of {type_name}" for key in value if key not in fields]
        errors += [
            f"{path}: missing required field {key!r} of {type_name}"
            for key, f in fields.items()
            if f["required"] and key not in value
        ]
        for key, item in value.items():
            if key in fields:
                errors += self._check(item, fields[key]["types"], f"{path}.{key}", files)
                constant = self._constants.get((type_name, key))
                if constant and item != constant:
                    errors.append(f"{path}.{key}: {type_name} needs {constant!r}, got {item!r}")
        return errors

    # -- Telegram's own limits -----------------------------------------------------------------
    def _limits(self, method: str, params: dict) -> list[str]:
        errors: list[str] = []
        if method in ("sendMessage", "editMessageText") and isinstance(params.get("text"), str):
            errors += _text_limit(f"{method}.text", params["text"], params.get("parse_mode"), 1, TEXT_LIMIT)
        if isinstance(params.get("caption"), str):
            errors += _text_limit(f"{method}.caption", params["caption"], params.get("parse_mode"), 0, CAPTION_LIMIT)
        media = params.get("media")
        for i, item in enumerate(media if isinstance(media, list) else [media]):
            if isinstance(item, dict) and isinstance(item.get("caption"), str):
                errors += _text_limit(
                    f"{method}.media[{i}].caption", item["caption"], item.get("parse_mode"), 0, CAPTION_LIMIT
                )
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and isinstance(markup.get("inline_keyboard"), list):
            for r, row in enumerate(markup["inline_keyboard"]):
                for c, button in enumerate(row if isinstance(row, list) else []):
                    data = button.get("callback_data") if isinstance(button, dict) else None
                    if isinstance(data, str) and not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_BYTES:
                        errors.append(
                            f"{method}.reply_markup.inline_keyboard[{r}][{c}].callback_data: "
                            f"{len(data.encode('utf-8'))} bytes, must be 1-{CALLBACK_DATA_BYTES}"
                        )
        if method == "answerCallbackQuery" and isinstance(params.get("text"), str):
            if len(params["text"]) > CALLBACK_ANSWER_LIMIT:
                errors.append(f"{method}.text: {len(params['text'])} characters, must be 0-{CALLBACK_ANSWER_LIMIT}")
        return errors


def _text_limit(path: str, text: str, parse_mode: Any, low: int, high: int) -> list[str]:
    try:
        plain = plain_text(text, parse_mode if isinstance(parse_mode, str) else None).plain
    except HtmlError as e:
        return [f"{path}: can't parse entities: {e}"]
    if not low <= utf16_len(plain) <= high:  # Telegram counts UTF-16 code units
        return [f"{path}: {utf16_len(plain)} UTF-16 code units after entities parsing, must be {low}-{high}"]
    return []
