// Non-variadic wrappers for the parts of libcurl Swift cannot call: curl_easy_setopt and curl_easy_getinfo are
// C variadics. One wrapper per argument type, so Swift passes exactly the type libcurl reads for the option.
#ifndef MO_CCURL_SHIM_H
#define MO_CCURL_SHIM_H

#include <curl/curl.h>

/// Options taking a `long` (CURLOPTTYPE_LONG, CURLOPTTYPE_VALUES).
static inline CURLcode mo_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking a `curl_off_t` (CURLOPTTYPE_OFF_T).
static inline CURLcode mo_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking a pointer: strings (libcurl copies them, except CURLOPT_POSTFIELDS), callback data, slists and
/// buffers (CURLOPTTYPE_STRINGPOINT, CURLOPTTYPE_OBJECTPOINT, CURLOPTTYPE_CBPOINT, CURLOPTTYPE_SLISTPOINT).
static inline CURLcode mo_curl_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
static inline CURLcode mo_curl_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPT_OPENSOCKETFUNCTION.
static inline CURLcode mo_curl_setopt_opensocket_function(CURL *handle, curl_opensocket_callback value) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, value);
}

/// CURLOPT_PREREQFUNCTION (libcurl 7.80+).
static inline CURLcode mo_curl_setopt_prereq_function(CURL *handle, curl_prereq_callback value) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, value);
}

/// CURLINFO_LONG items.
static inline CURLcode mo_curl_getinfo_long(CURL *handle, CURLINFO info, long *out) {
    return curl_easy_getinfo(handle, info, out);
}

/// CURLINFO_STRING items. The string belongs to the handle and is valid until its next request or cleanup.
static inline CURLcode mo_curl_getinfo_string(CURL *handle, CURLINFO info, char **out) {
    return curl_easy_getinfo(handle, info, out);
}

/// CURLINFO_OFF_T items.
static inline CURLcode mo_curl_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *out) {
    return curl_easy_getinfo(handle, info, out);
}

#endif
