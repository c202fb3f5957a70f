package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

var (
	errNoRoute    = errors.New("no such route")
	errBadRequest = errors.New("bad request")
)

// status maps an error category to its HTTP status; one table for all.
func status(err error) int {
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, errNoRoute):
		return http.StatusNotFound
	case errors.Is(err, errBadRequest):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// pageData is what a page handler returns: a template name and its data.
type pageData struct {
	Template string
	Title    string
	Data     any
	// Redirect, when set, sends the browser there instead (a merged
	// story's page leads to the story it lives on in).
	Redirect string
}

// page adapts a page handler: it renders the template, or the error page
// with the status the error maps to.
func (s *Server) page(h func(*http.Request) (*pageData, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pd, err := h(r)
		code := http.StatusOK
		if err != nil {
			code = status(err)
			if code == http.StatusInternalServerError {
				s.log.Error("page failed", "path", r.URL.Path, "error", err)
			}
			msg := http.StatusText(code)
			if code != http.StatusInternalServerError {
				msg = err.Error()
			}
			pd = &pageData{Template: "error", Title: http.StatusText(code), Data: msg}
		}
		if pd.Redirect != "" {
			http.Redirect(w, r, pd.Redirect, http.StatusSeeOther)
			return
		}
		var buf bytes.Buffer
		if err := s.pages[pd.Template].Execute(&buf, pd); err != nil {
			s.log.Error("render failed", "template", pd.Template, "error", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(code)
		w.Write(buf.Bytes())
	})
}

// api adapts a JSON handler: the value as JSON, or {"error": …}.
func (s *Server) api(h func(*http.Request) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := h(r)
		code := http.StatusOK
		if err != nil {
			code = status(err)
			msg := err.Error()
			if code == http.StatusInternalServerError {
				s.log.Error("api failed", "path", r.URL.Path, "error", err)
				msg = "internal error"
			}
			v = map[string]string{"error": msg}
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(code)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(v)
	})
}
