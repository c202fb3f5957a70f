package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Cookies the server sets; both HttpOnly and SameSite=Strict.
const (
	csrfCookie = "crosscheck_csrf"
	authCookie = "crosscheck_auth"
)

var errForbidden = errors.New("forbidden")

// SetAuthToken makes every request but /healthz and /login present the
// token: as "Authorization: Bearer TOKEN" (the API) or through the login
// form, which sets a cookie. Required to serve beyond loopback.
func (s *Server) SetAuthToken(token string) { s.token = token }

// authenticate lets a request through when no token is set, or when it
// carries it.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.token == "" || r.URL.Path == "/healthz" || r.URL.Path == "/login" || strings.HasPrefix(r.URL.Path, "/static/") || s.authenticated(r) {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="crosscheck"`)
			http.Error(w, `{"error": "authentication required: Authorization: Bearer TOKEN"}`, http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	})
}

func (s *Server) authenticated(r *http.Request) bool {
	want := s.tokenDigest()
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		got := sha256.Sum256([]byte(strings.TrimPrefix(h, "Bearer ")))
		return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(got[:])), []byte(want)) == 1
	}
	if c, err := r.Cookie(authCookie); err == nil {
		return subtle.ConstantTimeCompare([]byte(c.Value), []byte(want)) == 1
	}
	return false
}

func (s *Server) tokenDigest() string {
	sum := sha256.Sum256([]byte(s.token))
	return hex.EncodeToString(sum[:])
}

// loginShow is the login form.
func (s *Server) loginShow(r *http.Request) (*pageData, error) {
	return &pageData{Template: "login", Title: "Sign in", Data: map[string]string{"Next": localPath(r.URL.Query().Get("next"))}}, nil
}

// loginPost checks the token and sets the cookie.
func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil || s.token == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	got := sha256.Sum256([]byte(r.PostForm.Get("token")))
	if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(got[:])), []byte(s.tokenDigest())) != 1 {
		s.page(func(*http.Request) (*pageData, error) { return nil, fmt.Errorf("%w: wrong token", errForbidden) }).ServeHTTP(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: authCookie, Value: s.tokenDigest(), Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
}

// localPath keeps a redirect on this site.
//
// Browsers drop tabs and newlines from a URL before reading it, so
// "/\t/evil.example" would leave as "//evil.example": control characters
// are refused outright, as is a backslash anywhere (read as a slash).
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return p
}

// csrfToken returns the token forms must carry, setting the browser's
// CSRF cookie when it has none: the token is an HMAC of the cookie under
// the server's secret, so a page on another site can neither read nor
// forge it.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	v := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 64 {
		v = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		v = hex.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	}
	return s.sign(v)
}

func (s *Server) sign(v string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}

// checkCSRF verifies a form's token against the browser's cookie.
func (s *Server) checkCSRF(r *http.Request) error {
	c, err := r.Cookie(csrfCookie)
	if err != nil || r.PostForm.Get("csrf") == "" || !hmac.Equal([]byte(s.sign(c.Value)), []byte(r.PostForm.Get("csrf"))) {
		return fmt.Errorf("%w: the form's CSRF token is missing or wrong (reload the page and try again)", errForbidden)
	}
	return nil
}

// action adapts a form handler: the body is bounded, the CSRF token
// checked, and success redirects (303) to the page that shows the
// result; failure renders the error page.
func (s *Server) action(h func(*http.Request) (string, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		err := r.ParseForm()
		if err != nil {
			err = fmt.Errorf("%w: %v", errBadRequest, err)
		} else {
			err = s.checkCSRF(r)
		}
		to := ""
		if err == nil {
			to, err = h(r)
		}
		if err != nil {
			s.page(func(*http.Request) (*pageData, error) { return nil, err }).ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, localPath(to), http.StatusSeeOther)
	})
}
