package signin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DevicePrompt is what the person needs to approve a device sign-in on
// another device: the address to visit and the code to type there.
type DevicePrompt struct {
	VerificationURI string
	// VerificationURIComplete carries the code already; empty when the
	// server gives none.
	VerificationURIComplete string
	UserCode                string
	// ExpiresAt is when the code stops working; zero when the server did
	// not say.
	ExpiresAt time.Time
}

// deviceAnswer is the device authorization endpoint's answer (RFC 8628
// section 3.2). Google names the address verification_url.
type deviceAnswer struct {
	DeviceCode              string  `json:"device_code"`
	UserCode                string  `json:"user_code"`
	VerificationURI         string  `json:"verification_uri"`
	VerificationURL         string  `json:"verification_url"`
	VerificationURIComplete string  `json:"verification_uri_complete"`
	ExpiresIn               seconds `json:"expires_in"`
	Interval                seconds `json:"interval"`
}

// The device grant's poll interval when the server names none, and what a
// slow_down adds to it (RFC 8628 section 3.5), in PollUnits.
const (
	defaultInterval = 5
	slowDownStep    = 5
)

// Device signs in with the device flow: it asks for a code, calls show
// with what the person must do, and polls the token endpoint until the
// person approves (the token), refuses (ErrDenied), the code expires
// (ErrExpired) or ctx ends.
func Device(ctx context.Context, cfg Config, client *http.Client, show func(DevicePrompt)) (Token, error) {
	if err := cfg.check(cfg.DeviceAuthorizationURL, cfg.TokenURL); err != nil {
		return Token{}, fmt.Errorf("device sign-in: %w", err)
	}
	form := url.Values{}
	if len(cfg.Scopes) > 0 {
		form.Set("scope", strings.Join(cfg.Scopes, " "))
	}
	var a deviceAnswer
	if err := post(ctx, cfg, client, cfg.DeviceAuthorizationURL, form, &a); err != nil {
		return Token{}, fmt.Errorf("device authorization: %w", err)
	}
	if a.VerificationURI == "" {
		a.VerificationURI = a.VerificationURL
	}
	if a.DeviceCode == "" || a.UserCode == "" || a.VerificationURI == "" {
		return Token{}, errors.New("device authorization: the answer lacks the device code, the user code or the address to visit")
	}
	prompt := DevicePrompt{VerificationURI: a.VerificationURI, VerificationURIComplete: a.VerificationURIComplete, UserCode: a.UserCode}
	var expired <-chan time.Time
	if a.ExpiresIn > 0 {
		prompt.ExpiresAt = time.Now().Add(time.Duration(a.ExpiresIn) * time.Second)
		timer := time.NewTimer(time.Until(prompt.ExpiresAt))
		defer timer.Stop()
		expired = timer.C
	}
	show(prompt)

	unit := cfg.PollUnit
	if unit <= 0 {
		unit = time.Second
	}
	interval := time.Duration(a.Interval)
	if interval <= 0 {
		interval = defaultInterval
	}
	poll := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "device_code": {a.DeviceCode}}
	for {
		wait := time.NewTimer(interval * unit)
		select {
		case <-ctx.Done():
			wait.Stop()
			return Token{}, fmt.Errorf("device sign-in: %w", ctx.Err())
		case <-expired:
			wait.Stop()
			return Token{}, fmt.Errorf("device sign-in: %w: the code was not approved in time", ErrExpired)
		case <-wait.C:
		}
		t, err := token(ctx, cfg, client, poll)
		switch errorCode(err) {
		case "":
			if err != nil {
				return Token{}, fmt.Errorf("device sign-in: %w", err)
			}
			return t, nil
		case "authorization_pending":
		case "slow_down":
			interval += slowDownStep
		case "access_denied":
			return Token{}, fmt.Errorf("device sign-in: %w", ErrDenied)
		case "expired_token":
			return Token{}, fmt.Errorf("device sign-in: %w", ErrExpired)
		default:
			return Token{}, fmt.Errorf("device sign-in: %w", err)
		}
	}
}
