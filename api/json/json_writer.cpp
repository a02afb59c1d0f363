#include "api/json/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace comanda::api {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC
// 3629: no overlong forms, no surrogates, nothing past U+10FFFF); 0 when
// there is none.
size_t utf8_sequence(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || b(1) < lo || b(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i)
    if (b(i) < 0x80 || b(i) > 0xBF) return 0;
  return n;
}

// Printable ASCII other than the quote and the backslash: copied as is.
bool plain(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

// Whether every byte of `s` is plain.
bool all_plain(std::string_view s) {
  for (const char ch : s)
    if (!plain(ch)) return false;
  return true;
}

// Short plain text (most names and values) with its quotes, and what goes
// before it, in one append rather than one per piece.
constexpr size_t kShort = 120;
size_t put_short(char* buf, std::string_view before, std::string_view s, std::string_view after) {
  size_t n = 0;
  for (const char ch : before) buf[n++] = ch;
  buf[n++] = '"';
  std::memcpy(buf + n, s.data(), s.size());
  n += s.size();
  buf[n++] = '"';
  for (const char ch : after) buf[n++] = ch;
  return n;
}
void append_short(std::string& out, std::string_view before, std::string_view s,
                  std::string_view after) {
  char buf[kShort + 8];
  out.append(buf, put_short(buf, before, s, after));
}
void append_short(JsonWriter::Buffer& out, std::string_view before, std::string_view s,
                  std::string_view after) {
  out.size += put_short(out.room(before.size() + s.size() + after.size() + 2), before, s, after);
}

// Into a std::string or a JsonWriter's buffer.
template <class Out>
void append_escaped(Out& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (s.size() <= kShort && all_plain(s)) return append_short(out, {}, s, {});
  out.push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    // Most text needs no escape: each run of it is appended at once, not
    // a character at a time.
    size_t run = i;
    while (run < s.size() && plain(s[run])) ++run;
    if (run != i) {
      out.append(s.data() + i, run - i);
      i = run;
      if (i == s.size()) break;
    }
    const char ch = s[i];
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      // Multibyte characters pass whole; a byte that starts none (text
      // that is not UTF-8, echoed from a request) becomes U+FFFD, so that
      // every body is valid UTF-8.
      if (const size_t n = utf8_sequence(s.substr(i)); n != 0) {
        out.append(s.data() + i, n);
        i += n - 1;
      } else {
        out.append("\xef\xbf\xbd", 3);  // U+FFFD
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"", 2);
        break;
      case '\\':
        out.append("\\\\", 2);
        break;
      case '\n':
        out.append("\\n", 2);
        break;
      case '\r':
        out.append("\\r", 2);
        break;
      case '\t':
        out.append("\\t", 2);
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00", 4);
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::string json_quote(std::string_view value) {
  std::string out;
  append_escaped(out, value);
  return out;
}

void append_json_string(std::string& out, std::string_view s) { append_escaped(out, s); }

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_.push_back('{');
  has_members_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  has_members_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_.push_back('[');
  has_members_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  has_members_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (!after_key_ && name.size() <= kShort && all_plain(name)) {
    // The comma, the name and the colon at once: names are the code's own.
    const bool comma = !has_members_.empty() && has_members_.back();
    if (!has_members_.empty()) has_members_.back() = true;
    append_short(out_, comma ? "," : "", name, ":");
  } else {
    before_value();
    append_escaped(out_, name);
    out_.push_back(':');
  }
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  before_value();
  append_escaped(out_, value);
  return *this;
}

JsonWriter& JsonWriter::number(int64_t value) {
  before_value();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, static_cast<size_t>(end - buf));
  return *this;
}

JsonWriter& JsonWriter::number(uint64_t value) {
  before_value();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, static_cast<size_t>(end - buf));
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  before_value();
  if (!std::isfinite(value)) {
    literal("null");
    return *this;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, static_cast<size_t>(end - buf));
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  before_value();
  if (value)
    literal("true");
  else
    literal("false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  literal("null");
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_.append(json.data(), json.size());
  return *this;
}

}  // namespace comanda::api
