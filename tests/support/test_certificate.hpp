// A self-signed certificate for 127.0.0.1/localhost, made with OpenSSL at test time and written
// to a temporary directory that is removed with the object. Never reused across runs.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace multihook::testing {

class TestCertificate {
 public:
  TestCertificate() {
    char dir_template[] = "/tmp/multihook-cert-XXXXXX";
    if (mkdtemp(dir_template) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir_template;
    cert_file_ = dir_ + "/cert.pem";
    key_file_ = dir_ + "/key.pem";

    EVP_PKEY* key = EVP_RSA_gen(2048);
    X509* cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 2 * 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (const char* ext : {"subjectAltName", "basicConstraints"}) {
      const char* value =
          std::string(ext) == "subjectAltName" ? "IP:127.0.0.1,DNS:localhost" : "critical,CA:TRUE";
      X509_EXTENSION* e = X509V3_EXT_conf(nullptr, &ctx, ext, value);
      X509_add_ext(cert, e, -1);
      X509_EXTENSION_free(e);
    }
    X509_sign(cert, key, EVP_sha256());

    FILE* c = std::fopen(cert_file_.c_str(), "w");
    PEM_write_X509(c, cert);
    std::fclose(c);
    FILE* k = std::fopen(key_file_.c_str(), "w");
    PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(k);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~TestCertificate() { std::filesystem::remove_all(dir_); }

  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }

 private:
  std::string dir_;
  std::string cert_file_;
  std::string key_file_;
};

}  // namespace multihook::testing
