#include "engine/log/hash_chain.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "engine/base/bytes.h"

namespace comanda::engine {

struct ChainHasher::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

ChainHasher::ChainHasher() : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx) throw std::runtime_error("cannot allocate a SHA-256 context");
}
ChainHasher::~ChainHasher() = default;

void ChainHasher::begin(const ChainLink& previous) {
  EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(impl_->ctx, previous.data(), previous.size());
}

void ChainHasher::add(std::string_view stored_event) {
  // Length-prefixed, so that moving bytes between adjacent events changes the link.
  std::string length;
  put_u64_be(length, stored_event.size());
  EVP_DigestUpdate(impl_->ctx, length.data(), length.size());
  EVP_DigestUpdate(impl_->ctx, stored_event.data(), stored_event.size());
}

ChainLink ChainHasher::finish() {
  ChainLink link{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(impl_->ctx, link.data(), &size);
  return link;
}

std::string_view chain_key_prefix() { return "chain/"; }

std::string chain_key(uint64_t last_position) {
  std::string key(chain_key_prefix());
  put_u64_be(key, last_position);
  return key;
}

std::string to_hex(const ChainLink& link) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : link) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

}  // namespace comanda::engine
