package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

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
	case errors.Is(err, errForbidden):
		return http.StatusForbidden
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
	// CSRF is the token the page's forms carry (set by page).
	CSRF string
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
		pd.CSRF = s.csrfToken(w, r)
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
		if l, ok := v.(*listing); ok && err == nil {
			err = l.write(w, r.URL.Query().Get("format"))
			if err == nil {
				return
			}
			v = nil
		}
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

// listing is an API answer that is a list: its JSON body by default, or
// with ?format=jsonl one JSON record per item, with ?format=csv one row
// per item, and with ?format=geojson (when it has places) a
// FeatureCollection.
type listing struct {
	Body    any   // the JSON answer
	Items   []any // the records, for JSONL and CSV
	Columns []string
	Row     func(item any) []string
	GeoJSON func() any // nil when the list has no places
	Name    string     // download file name, without extension
}

func (l *listing) write(w http.ResponseWriter, format string) error {
	switch format {
	case "", "json":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(l.Body)
	case "jsonl":
		w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+l.Name+`.jsonl"`)
		enc := json.NewEncoder(w)
		for _, it := range l.Items {
			if err := enc.Encode(it); err != nil {
				return nil // the client went away
			}
		}
		return nil
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+l.Name+`.csv"`)
		cw := csv.NewWriter(w)
		cw.Write(l.Columns)
		for _, it := range l.Items {
			row := l.Row(it)
			for i, c := range row {
				row[i] = csvSafe(c)
			}
			cw.Write(row)
		}
		cw.Flush()
		return nil
	case "geojson":
		if l.GeoJSON == nil {
			return fmt.Errorf("%w: this list has no places; formats: json, jsonl, csv", errBadRequest)
		}
		w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+l.Name+`.geojson"`)
		return json.NewEncoder(w).Encode(l.GeoJSON())
	}
	return fmt.Errorf("%w: format %q: want json, jsonl or csv", errBadRequest, format)
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet
// (article text is untrusted); numbers (a longitude of -95.5) stay
// numbers.
func csvSafe(c string) string {
	if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return c
	}
	if _, err := strconv.ParseFloat(c, 64); err == nil {
		return c
	}
	return "'" + c
}
