package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"examd/exam"
	"examd/notify"
	"examd/outbox"
)

// Webhooks (admin): receivers of the organization's events, their
// delivery log and manual retry.

type newWebhook struct {
	URL         string   `json:"url" max:"2000"`
	Events      []string `json:"events"`
	Description string   `json:"description" max:"500"`
}

// checkWebhook lists every problem of a new webhook.
func checkWebhook(w *newWebhook) []exam.FieldError {
	var p []exam.FieldError
	u, err := url.Parse(strings.TrimSpace(w.URL))
	switch {
	case strings.TrimSpace(w.URL) == "":
		p = append(p, exam.FieldError{Field: "url", Code: "required", Message: "must not be empty"})
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "":
		p = append(p, exam.FieldError{Field: "url", Code: "invalid_url", Message: "must be an http or https URL with a host"})
	case u.User != nil:
		p = append(p, exam.FieldError{Field: "url", Code: "invalid_url", Message: "must not carry a user name or password"})
	}
	if len(w.Events) == 0 {
		p = append(p, exam.FieldError{Field: "events", Code: "too_few", Message: "choose at least one event",
			Params: exam.P{"min": 1}})
	}
	for i, e := range w.Events {
		if !slices.Contains(outbox.Types, e) {
			p = append(p, exam.FieldError{Field: "events[" + strconv.Itoa(i) + "]", Code: "unknown_event",
				Message: "unknown event; choose from " + strings.Join(outbox.Types, ", "), Params: exam.P{"allowed": outbox.Types}})
		} else if slices.Index(w.Events, e) != i {
			p = append(p, exam.FieldError{Field: "events[" + strconv.Itoa(i) + "]", Code: "duplicate",
				Message: "event " + e + " is listed twice"})
		}
	}
	return p
}

func (s *Server) createWebhook(c echo.Context) error {
	var body newWebhook
	if err := bind(c, &body); err != nil {
		return err
	}
	if problems := checkWebhook(&body); len(problems) > 0 {
		return errValidation("webhook is not valid", problems...)
	}
	w, err := s.webhooks.Create(reqCtx(c), actor(c), strings.TrimSpace(body.URL), body.Events, strings.TrimSpace(body.Description))
	return respond(c, http.StatusCreated, w, err)
}

func (s *Server) listWebhooks(c echo.Context) error {
	items, err := s.webhooks.List(reqCtx(c), claims(c).Org)
	return respond(c, http.StatusOK, map[string]any{"items": items}, err)
}

// webhookID reads a path id; anything but a UUID names no webhook.
func pathUUID(c echo.Context, name string) (string, error) {
	id := c.Param(name)
	if _, err := uuid.Parse(id); err != nil {
		return "", notify.ErrNotFound
	}
	return id, nil
}

func (s *Server) deleteWebhook(c echo.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	if err := s.webhooks.Delete(reqCtx(c), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) webhookDeliveries(c echo.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	return respondPage(c, func(limit int, cursor string) ([]notify.Delivery, string, error) {
		return s.webhooks.Deliveries(reqCtx(c), claims(c).Org, id, limit, cursor)
	})
}

func (s *Server) retryDelivery(c echo.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	did, err := pathUUID(c, "delivery_id")
	if err != nil {
		return err
	}
	if err := noBody(c); err != nil {
		return err
	}
	if err := s.webhooks.Retry(reqCtx(c), claims(c).Org, id, did); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]any{"id": did, "status": "pending"})
}
