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

func (s *Server) apiRejectionsList(r *http.Request) (any, error) {
	rs, err := s.store.ListRejections(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]export.Rejection, 0, len(rs))
	for _, x := range rs {
		out = append(out, export.FromRejection(x))
	}
	return map[string]any{"rejections": out}, nil
}
