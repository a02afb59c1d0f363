// A small streaming JSON writer: commas, escaping and number formatting done
// once, here. Not thread-safe; one writer per response.
#pragma once

#include <algorithm>
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
  JsonWriter() { out_.bytes.resize(2048); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Writes a member name; the next call writes its value.
  JsonWriter& key(std::string_view name);
  // A name the code spells out (a string literal): when it needs no escape
  // (a check the compiler folds away), written with its comma, quotes and
  // colon straight into the answer, a copy of known size.
  template <size_t N>
  JsonWriter& key(const char (&name)[N]) {
    bool plain = !after_key_;  // a key after a key: the general path
    for (size_t i = 0; i + 1 < N; ++i)
      plain = plain && static_cast<unsigned char>(name[i]) >= 0x20 &&
              static_cast<unsigned char>(name[i]) < 0x80 && name[i] != '"' && name[i] != '\\';
    if (!plain) return key(std::string_view(name, N - 1));
    char* at = out_.room(N + 3);
    char* p = at;
    if (!has_members_.empty()) {
      if (has_members_.back()) *p++ = ',';
      has_members_.back() = true;
    }
    *p++ = '"';
    std::memcpy(p, name, N - 1);
    p += N - 1;
    *p++ = '"';
    *p++ = ':';
    out_.size += static_cast<size_t>(p - at);
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

  std::string_view str() const { return {out_.bytes.data(), out_.size}; }
  std::string take() {
    out_.bytes.resize(out_.size);
    out_.size = 0;
    return std::move(out_.bytes);
  }

  // The answer's bytes: a string sized ahead, of which the first `size`
  // are written. Appending is a bounds check and a copy, with no call into
  // std::string's growth path (and, for a copy of known size, no call).
  struct Buffer {
    std::string bytes;
    size_t size = 0;

    char* room(size_t n) {
      if (size + n > bytes.size()) [[unlikely]]
        grow(n);
      return bytes.data() + size;
    }
    [[gnu::noinline]] void grow(size_t n) { bytes.resize(std::max(2 * bytes.size(), size + n)); }
    void append(const char* s, size_t n) {
      std::memcpy(room(n), s, n);
      size += n;
    }
    void push_back(char c) {
      *room(1) = c;
      ++size;
    }
  };

 private:
  // The comma before a value, unless it is a member's (after its key) or
  // its container's first.
  void before_value() {
    if (after_key_) {
      after_key_ = false;
    } else if (!has_members_.empty()) {
      if (has_members_.back()) out_.push_back(',');
      has_members_.back() = true;
    }
  }
  template <size_t N>
  void literal(const char (&text)[N]) {
    out_.append(text, N - 1);
  }

  Buffer out_;
  // Per open container, whether it has a member yet: answers nest a few
  // levels, held inline.
  boost::container::small_vector<bool, 16> has_members_;
  bool after_key_ = false;
};

// `value` as a JSON string literal, quotes included.
std::string json_quote(std::string_view value);

}  // namespace comanda::api
