// A small streaming JSON writer: commas, escaping and number formatting done
// once, here. Not thread-safe; one writer per response.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace comanda::api {

// `s` as a JSON string (quoted, escaped; bytes that are not UTF-8 become
// U+FFFD), appended to `out`: what JsonWriter::string() writes.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  // Room for a typical answer (an order is about 1.5 KiB), so that it is
  // written into one allocation rather than grown through seven.
  JsonWriter() { out_.reserve(2048); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Writes a member name; the next call writes its value.
  JsonWriter& key(std::string_view name);
  // A name the code spells out (a string literal): when it needs no escape
  // (a check the compiler folds away), written with its comma, quotes and
  // colon in one append.
  template <size_t N>
  JsonWriter& key(const char (&name)[N]) {
    bool plain = !after_key_;  // a key after a key: the general path
    for (size_t i = 0; i + 1 < N; ++i)
      plain = plain && static_cast<unsigned char>(name[i]) >= 0x20 &&
              static_cast<unsigned char>(name[i]) < 0x80 && name[i] != '"' && name[i] != '\\';
    if (!plain) return key(std::string_view(name, N - 1));
    char buf[N + 3];
    size_t n = 0;
    if (!has_members_.empty()) {
      if (has_members_.back()) buf[n++] = ',';
      has_members_.back() = true;
    }
    buf[n++] = '"';
    std::memcpy(buf + n, name, N - 1);
    n += N - 1;
    buf[n++] = '"';
    buf[n++] = ':';
    out_.append(buf, n);
    after_key_ = true;
    return *this;
  }

  JsonWriter& string(std::string_view value);
  JsonWriter& number(int64_t value);
  JsonWriter& number(uint64_t value);
  JsonWriter& number(int value) { return number(static_cast<int64_t>(value)); }
  JsonWriter& number(double value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // Inserts already-serialized JSON as one value.
  JsonWriter& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  // The comma before a value, unless it is a member's (after its key) or
  // its container's first.
  void before_value() {
    if (after_key_) {
      after_key_ = false;
    } else if (!has_members_.empty()) {
      if (has_members_.back()) out_ += ',';
      has_members_.back() = true;
    }
  }

  std::string out_;
  // Per open container, whether it has a member yet: answers nest a few
  // levels, held inline.
  boost::container::small_vector<bool, 16> has_members_;
  bool after_key_ = false;
};

// `value` as a JSON string literal, quotes included.
std::string json_quote(std::string_view value);

}  // namespace comanda::api
