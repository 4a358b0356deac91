package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// Code is a diagnosis: what went wrong, in a word scripts can rely on.
type Code string

// The diagnosis codes of DESIGN.md.
const (
	CodeOK                       Code = "ok"
	CodeDNSError                 Code = "dns_error"
	CodeConnectionRefused        Code = "connection_refused"
	CodeTimeout                  Code = "timeout"
	CodeTLSHandshakeFailed       Code = "tls_handshake_failed"
	CodeTLSVersionTooOld         Code = "tls_version_too_old"
	CodeCertificateUntrusted     Code = "certificate_untrusted"
	CodeCertificateHostMismatch  Code = "certificate_hostname_mismatch"
	CodeCertificateExpired       Code = "certificate_expired"
	CodeStartTLSNotOffered       Code = "starttls_not_offered"
	CodeStartTLSFailed           Code = "starttls_failed"
	CodeCleartextRefused         Code = "cleartext_refused"
	CodeLoginDisabled            Code = "login_disabled"
	CodeAuthFailed               Code = "auth_failed"
	CodeAuthMechanismUnsupported Code = "auth_mechanism_unsupported"
	CodeUnexpectedPreauth        Code = "unexpected_preauth"
	CodeServerUnavailable        Code = "server_unavailable"
	CodeProtocolError            Code = "protocol_error"
	CodeCertificateChanged       Code = "certificate_changed"
	// The OAuth2 codes: the server refused the access token; or, from the
	// sign-in flows, no client ID is known for the provider, the person
	// refused consent, or the device code timed out.
	CodeOAuthTokenRejected Code = "oauth_token_rejected"
	CodeOAuthNotConfigured Code = "oauth_not_configured"
	CodeOAuthDenied        Code = "oauth_denied"
	CodeOAuthExpired       Code = "oauth_expired"
)

// Failure is a failed step with its diagnosis. Err is for logs and never
// holds a credential; Reply is the server's own words, already sanitised.
type Failure struct {
	Code  Code
	Step  string
	Reply string
	Err   error
}

func (f *Failure) Error() string {
	msg := fmt.Sprintf("%s: %s", f.Step, f.Code)
	if f.Err != nil {
		msg += ": " + f.Err.Error()
	}
	if f.Reply != "" {
		msg += fmt.Sprintf(" (server said %q)", f.Reply)
	}
	return msg
}

func (f *Failure) Unwrap() error { return f.Err }

func fail(code Code, step string, err error) *Failure {
	return &Failure{Code: code, Step: step, Err: err}
}

// refused is a server's negative answer: its text is kept for the person.
func refused(code Code, step, reply string) *Failure {
	return &Failure{Code: code, Step: step, Reply: Sanitize(reply)}
}

// ioFailure diagnoses an error from reading or writing the connection.
func ioFailure(step string, err error) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	if isTimeout(err) {
		return fail(CodeTimeout, step, err)
	}
	if errors.Is(err, errLineTooLong) || errors.Is(err, errTooMuchData) {
		return fail(CodeProtocolError, step, err)
	}
	return fail(CodeServerUnavailable, step, err)
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// dialFailure diagnoses an error from resolving or connecting.
func dialFailure(step string, err error) *Failure {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && !dnsErr.IsTimeout:
		return fail(CodeDNSError, step, err)
	case isTimeout(err):
		return fail(CodeTimeout, step, err)
	}
	// Refused, reset, or no route to the host: nothing there answers.
	return fail(CodeConnectionRefused, step, err)
}

// tlsFailure diagnoses a failed handshake: the certificate check's own
// finding if there was one, else what the TLS layer said.
func tlsFailure(step string, err error) *Failure {
	var ce *certError
	if errors.As(err, &ce) {
		return fail(ce.code, step, ce.err)
	}
	if isTimeout(err) {
		return fail(CodeTimeout, step, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "unsupported protocol version") || strings.Contains(msg, "protocol version not supported") {
		return fail(CodeTLSVersionTooOld, step, err)
	}
	return fail(CodeTLSHandshakeFailed, step, err)
}

// certError is a certificate that failed verification, with its diagnosis.
type certError struct {
	code Code
	err  error
}

func (e *certError) Error() string { return e.err.Error() }

func classifyCertificate(err error) *certError {
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &hostErr):
		return &certError{CodeCertificateHostMismatch, err}
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return &certError{CodeCertificateExpired, err}
	case errors.As(err, &unknown):
		return &certError{CodeCertificateUntrusted, err}
	}
	return &certError{CodeCertificateUntrusted, err}
}
