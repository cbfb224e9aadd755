// libcrypto (OpenSSL 3, Debian libssl-dev): the message digest (EVP) and one-shot HMAC interfaces. Nothing here is
// variadic, so no wrappers are needed; the Digest target owns every EVP_MD_CTX it makes.
#include <openssl/evp.h>
#include <openssl/hmac.h>
