"""The open-source broker's words for a request body it cannot parse, so clients read the same text.

The broker answers a body that is not JSON with `{"error": "JSON::ParserError - <message>"}`, the
message of Ruby's JSON parser (json 2.21): what was expected, the text found there (up to 32 bytes,
cut at whitespace, quoted; `EOF` at the end) and the line and column (in bytes, 1-based). A body that
is not UTF-8 is refused before parsing with the character number and up to 100 characters before it.

`error_message(raw)` is only called once Python's decoder has refused the body: it walks the bytes
with the broker's grammar (an explicit stack, no recursion) to find where and why the broker's parser
stops. Python and Ruby disagree on a few documents (Ruby accepts `/* comments */`); for those the
walk finds no error and the caller's own message stands.
"""

from __future__ import annotations

import re

FRAGMENT_LENGTH = 32
_WHITESPACE = b" \t\r\n"
_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ESCAPES = b'"\\/bfnrtu'
_HEX = re.compile(rb"[0-9a-fA-F]{4}")


class _Stop(Exception):
    def __init__(self, template: str, at: int):
        super().__init__(template)
        self.template = template
        self.at = at


def non_utf8_message(raw: bytes) -> str | None:
    """The broker's message for the first byte that is not UTF-8 (None when the body is UTF-8)."""
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")
    index = len(before)
    fragment = before[-100:]
    return (
        f"Request body has a non UTF-8 character at char {index + 1} and cannot be parsed as JSON. "
        f"Fragment preceding invalid character is: '{fragment}'"
    )


def _fragment(raw: bytes, at: int) -> str:
    if at >= len(raw):
        return "EOF"
    length = 0
    while length < FRAGMENT_LENGTH and at + length < len(raw) and raw[at + length] not in b"\x00 \t\r\n":
        length += 1
    if not length:  # the parser then prints the rest of the document, unquoted
        return raw[at:].split(b"\x00", 1)[0].decode("utf-8", errors="replace")
    piece = raw[at : at + length]
    # a multibyte character at the end of the piece is left out, whole
    while piece and 0x80 <= piece[-1] < 0xC0:
        piece = piece[:-1]
    if piece and piece[-1] >= 0xC0:
        piece = piece[:-1]
    return "'" + piece.decode("utf-8", errors="replace") + "'"


def _position(raw: bytes, at: int) -> tuple[int, int]:
    """Line and column as the parser counts them: the byte at `at` counts as a column (the end of
    the body too), a new line there is column 0 of the next line."""
    upto = min(at + 1, len(raw))
    return raw.count(b"\n", 0, upto) + 1, at - raw.rfind(b"\n", 0, upto)


class _Walker:
    def __init__(self, raw: bytes):
        self.raw = raw
        self.at = 0

    def peek(self) -> int | None:
        return self.raw[self.at] if self.at < len(self.raw) else None

    def skip_whitespace(self) -> None:
        """Whitespace and comments (`// ...` and `/* ... */`, which the broker's parser accepts)."""
        raw = self.raw
        while self.at < len(raw):
            if raw[self.at] in _WHITESPACE:
                self.at += 1
            elif raw[self.at] == ord("/"):
                second = raw[self.at + 1 : self.at + 2]
                if second == b"/":
                    end = raw.find(b"\n", self.at)
                    if end < 0:
                        raise _Stop("unterminated comment, expected end of line", self.at)
                    self.at = end + 1
                elif second == b"*":
                    end = raw.find(b"*/", self.at + 2)
                    if end < 0:
                        raise _Stop("unterminated comment, expected closing '*/'", self.at)
                    self.at = end + 2
                else:
                    raise _Stop("unexpected token %s", self.at)
            else:
                return

    def string(self) -> None:
        start = self.at
        self.at += 1  # the opening quote
        raw = self.raw
        while self.at < len(raw):
            byte = raw[self.at]
            if byte == 0x22:
                self.at += 1
                return
            if byte == 0x5C:
                escape = raw[self.at + 1 : self.at + 2]
                if not escape:
                    break
                if escape[0] not in _ESCAPES:
                    raise _Stop("invalid escape character in string: %s", self.at + 1)
                if escape == b"u" and not _HEX.match(raw, self.at + 2):
                    raise _Stop("incomplete unicode character escape sequence at %s", self.at)
                self.at += 6 if escape == b"u" else 2
                continue
            if byte == 0x0A:
                raise _Stop("Invalid unescaped newline character (\\n) in string: %s", self.at)
            if byte < 0x20:
                raise _Stop("invalid ASCII control character in string: %s", self.at)
            self.at += 1
        raise _Stop('unexpected end of input, expected closing "', start)

    def scalar(self) -> None:
        byte = self.peek()
        for keyword in (b"null", b"true", b"false"):
            if byte == keyword[0]:
                if self.raw.startswith(keyword, self.at):
                    self.at += len(keyword)
                    return
                raise _Stop("unexpected token %s", self.at)
        if byte in (ord("N"), ord("I")):
            raise _Stop("unexpected token %s", self.at)
        if byte == ord("-") or (byte is not None and 0x30 <= byte <= 0x39):
            match = _NUMBER.match(self.raw, self.at)
            if match is None:
                raise _Stop("invalid number: %s", self.at)
            self.at = match.end()
            return
        if byte == 0x22:
            self.string()
            return
        if byte is None:
            raise _Stop("unexpected end of input", len(self.raw))
        if byte == 0:
            raise _Stop("unexpected NULL byte: %s", self.at)
        raise _Stop("unexpected character: %s", self.at)

    def walk(self) -> None:
        # frames: ["array"|"object", entries so far]
        frames: list[list] = []
        self.skip_whitespace()
        self.value(frames)
        while frames:
            frame = frames[-1]
            self.skip_whitespace()
            byte = self.peek()
            closing = ord("]") if frame[0] == "array" else ord("}")
            if byte == ord(","):
                self.at += 1
                self.skip_whitespace()
                if frame[0] == "object":
                    self.key(frame)
                self.value(frames)
            elif byte == closing:
                self.at += 1
                frames.pop()
            elif frame[0] == "array":
                raise _Stop("expected ',' or ']' after array value", self.at)
            else:
                raise _Stop("expected ',' or '}' after object value, got: %s", self.at)
        self.skip_whitespace()
        if self.at < len(self.raw):
            raise _Stop("unexpected token at end of stream %s", self.at)

    def key(self, frame: list) -> None:
        if self.peek() != 0x22:
            raise _Stop("expected object key, got %s" if frame[1] == 0 else "expected object key, got: %s", self.at)
        self.string()
        self.skip_whitespace()
        if self.peek() != ord(":"):
            raise _Stop(
                "expected ':' after object key" if frame[1] == 0 else "expected ':' after object key, got: %s", self.at
            )
        self.at += 1
        frame[1] += 1
        self.skip_whitespace()

    def value(self, frames: list) -> None:
        """One value; an array or object opens a frame (and reads up to its first value)."""
        while True:
            byte = self.peek()
            if byte == ord("["):
                self.at += 1
                self.skip_whitespace()
                if self.peek() == ord("]"):
                    self.at += 1
                    return
                frames.append(["array", 0])
                continue
            if byte == ord("{"):
                self.at += 1
                self.skip_whitespace()
                if self.peek() == ord("}"):
                    self.at += 1
                    return
                frame = ["object", 0]
                frames.append(frame)
                self.key(frame)
                continue
            self.scalar()
            return


def error_message(raw: bytes) -> str | None:
    """The broker's message for a body it cannot parse, or None when its parser would accept it."""
    utf8 = non_utf8_message(raw)
    if utf8 is not None:
        return utf8
    walker = _Walker(raw)
    try:
        walker.walk()
    except _Stop as stop:
        line, column = _position(raw, stop.at)
        text = stop.template % _fragment(raw, stop.at) if "%s" in stop.template else stop.template
        return f"JSON::ParserError - {text} at line {line} column {column}"
    return None
