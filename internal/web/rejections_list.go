package web

import (
	"net/http"

	"github.com/crosscheck-news/crosscheck/internal/export"
)

func (s *Server) rejectionsList(r *http.Request) (*pageData, error) {
	rs, err := s.store.ListRejections(r.Context())
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "rejections", Title: "Rejected inputs", Data: rs}, nil
}

// apiRejectionsList lists rejected inputs.
func (s *Server) apiRejectionsList(r *http.Request) (any, error) {
	rs, err := s.store.ListRejections(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]export.Rejection, 0, len(rs))
	items := make([]any, 0, len(rs))
	for _, x := range rs {
		out = append(out, export.FromRejection(x))
		items = append(items, out[len(out)-1])
	}
	return &listing{Body: map[string]any{"rejections": out}, Items: items, Name: "rejections", Columns: []string{"input", "reason", "at"},
		Row: func(it any) []string { x := it.(export.Rejection); return []string{x.Input, x.Reason, x.At} }}, nil
}
