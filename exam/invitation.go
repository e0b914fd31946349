package exam

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"examd/audit"
	"examd/internal/cursor"
	"examd/internal/database"
	"examd/internal/email"
	"examd/internal/opaque"
	"examd/outbox"
)

// NewInvitation is what a recruiter gives to invite one candidate.
type NewInvitation struct {
	CandidateName  string     `json:"candidate_name" max:"200"`
	CandidateEmail string     `json:"candidate_email" max:"254"`
	Track          string     `json:"track" max:"64"`
	OpensAt        *time.Time `json:"opens_at"`
	ClosesAt       *time.Time `json:"closes_at"`
	// Language of the invitation e-mail: zh-CN (default) or en.
	Language string `json:"language" max:"8"`
	// SendEmail sends the link to the candidate by e-mail.
	SendEmail bool `json:"send_email"`
}

// Languages an invitation may be written in.
var Languages = []string{"zh-CN", "en"}

// Invitation is an invitation with its progress, as recruiters see it.
type Invitation struct {
	ID             string     `json:"id"`
	ExamID         string     `json:"exam_id"`
	ExamVersion    int        `json:"exam_version"`
	CandidateName  string     `json:"candidate_name"`
	CandidateEmail string     `json:"candidate_email"`
	Track          string     `json:"track"`
	Status         string     `json:"status"`
	OpensAt        *time.Time `json:"opens_at"`
	ClosesAt       *time.Time `json:"closes_at"`
	// ExtraTimeSeconds is an accommodation: added to the time limit.
	ExtraTimeSeconds int        `json:"extra_time_seconds"`
	Language         string     `json:"language"`
	EmailStatus      string     `json:"email_status"`
	CreatedAt        time.Time  `json:"created_at"`
	AttemptID        *string    `json:"attempt_id"`
	StartedAt        *time.Time `json:"started_at"`
	Deadline         *time.Time `json:"deadline"`
	SubmittedAt      *time.Time `json:"submitted_at"`
	AnsweredCount    int        `json:"answered_count"`
}

// CreatedInvitation carries the token, shown once: only its hash is stored.
type CreatedInvitation struct {
	Invitation
	Token string `json:"token"`
	Link  string `json:"link"`
}

// checkInvitation validates one invitation against the exam version's
// tracks; path prefixes each problem (e.g. "[2]." for a list).
func checkInvitation(p *problems, prefix string, n *NewInvitation, d *Document) {
	if strings.TrimSpace(n.CandidateName) == "" {
		p.add(prefix+"candidate_name", "required", nil, "must not be empty")
	} else if len([]rune(n.CandidateName)) > 200 {
		p.add(prefix+"candidate_name", "too_long", P{"max": 200}, "must be at most 200 characters")
	}
	if !email.Valid(n.CandidateEmail) {
		p.add(prefix+"candidate_email", "invalid_email", nil, "must be an email address")
	}
	if len(d.Tracks) > 0 {
		if n.Track == "" {
			p.add(prefix+"track", "required", nil, "this exam has tracks; choose one of %s", strings.Join(d.Tracks, ", "))
		} else if !slices.Contains(d.Tracks, n.Track) {
			p.add(prefix+"track", "unknown_track", P{"track": abbreviate(n.Track)}, "unknown track %q; choose one of %s", abbreviate(n.Track), strings.Join(d.Tracks, ", "))
		}
	} else if n.Track != "" {
		p.add(prefix+"track", "no_tracks", nil, "this exam has no tracks; leave track out")
	}
	if n.Language != "" && !slices.Contains(Languages, n.Language) {
		p.add(prefix+"language", "unknown_language", P{"allowed": Languages}, "must be one of %s", strings.Join(Languages, ", "))
	}
	if n.OpensAt != nil && n.ClosesAt != nil && !n.ClosesAt.After(*n.OpensAt) {
		p.add(prefix+"closes_at", "not_after", P{"field": "opens_at"}, "must be after opens_at")
	}
}

// newToken returns a fresh invitation token (192 bits) and its stored hash.
func newToken() (string, []byte) { return opaque.New(24) }

// Invite creates invitations to the latest published version of an exam,
// all or none. prefixed tells whether problems are reported per list item.
func (s *Store) Invite(ctx context.Context, orgID, userID, examID string, list []NewInvitation, listBody bool, publicURL string) ([]CreatedInvitation, error) {
	if !ValidID(examID) {
		return nil, ErrNotFound
	}
	var out []CreatedInvitation
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := database.One[struct{ LatestVersion int }](tx, ErrNotFound, "read exam",
			`SELECT latest_version FROM exams WHERE org_id = ? AND id = ?`, orgID, examID)
		if err != nil {
			return err
		}
		v := row.LatestVersion
		if v == 0 {
			return ErrNotPublished
		}
		d, err := ReadVersion(ctx, tx, examID, v)
		if err != nil {
			return err
		}
		var p problems
		if len(list) == 0 {
			p.add("", "too_few", P{"min": 1}, "give at least one invitation")
		}
		for i := range list {
			prefix := ""
			if listBody {
				prefix = fmt.Sprintf("[%d].", i)
			}
			checkInvitation(&p, prefix, &list[i], d)
		}
		if err := p.err("invitation is not valid"); err != nil {
			return err
		}
		ids := make([]string, 0, len(list))
		for _, n := range list {
			tok, hash := newToken()
			var inv Invitation
			lang, mailStatus := n.Language, "none"
			if lang == "" {
				lang = "zh-CN"
			}
			if n.SendEmail {
				mailStatus = "pending"
			}
			link := publicURL + "/take/" + tok
			err := tx.Raw(`INSERT INTO invitations (org_id, exam_id, exam_version, candidate_name, candidate_email, track, token_hash, opens_at, closes_at, created_by, language, email_status)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				RETURNING id, exam_id, exam_version, candidate_name, candidate_email, track, opens_at, closes_at, extra_time_seconds, language, email_status, created_at`,
				orgID, examID, v, strings.TrimSpace(n.CandidateName), strings.TrimSpace(n.CandidateEmail), n.Track, hash, n.OpensAt, n.ClosesAt, userID, lang, mailStatus).Scan(&inv).Error
			if err != nil {
				return err
			}
			if n.SendEmail {
				if err := outbox.Email(tx, orgID, inv.ID, link); err != nil {
					return err
				}
			}
			inv.Status = "pending"
			if err := audit.Record(tx, audit.Actor{OrgID: orgID, UserID: userID}, audit.InvitationCreated, "invitation:"+inv.ID,
				map[string]any{"exam_id": examID, "exam_version": v}); err != nil {
				return err
			}
			ids = append(ids, inv.ID)
			out = append(out, CreatedInvitation{Invitation: inv, Token: tok, Link: link})
		}
		return outbox.Invitations(tx, ids)
	})
	if err != nil {
		return nil, wrapUnexpected(err, "invite", ErrNotFound, ErrNotPublished)
	}
	return out, nil
}

const invitationSelect = `SELECT i.id, i.exam_id, i.exam_version, i.candidate_name, i.candidate_email, i.track,
	CASE WHEN i.revoked_at IS NOT NULL THEN 'revoked' WHEN a.id IS NULL THEN 'pending' WHEN a.status = 'submitted' THEN 'submitted' ELSE a.status END AS status,
	i.opens_at, i.closes_at, i.extra_time_seconds, i.language, i.email_status, i.created_at, a.id AS attempt_id, a.started_at, a.deadline, a.submitted_at,
	(SELECT count(*) FROM answers x WHERE x.attempt_id = a.id) AS answered_count
	FROM invitations i LEFT JOIN attempts a ON a.invitation_id = i.id `

// Invitations lists an exam's invitations, oldest first.
func (s *Store) Invitations(ctx context.Context, orgID, examID string) ([]Invitation, error) {
	if _, err := s.Get(ctx, orgID, examID); err != nil {
		return nil, err
	}
	out := []Invitation{}
	err := s.db.WithContext(ctx).Raw(invitationSelect+`WHERE i.org_id = ? AND i.exam_id = ? ORDER BY i.created_at, i.id`, orgID, examID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("exam: list invitations: %w", err)
	}
	return out, nil
}

// InvitationsPage is one page of an exam's invitations, oldest first, at
// most limit rows after cursor ("" is the first page); next is the cursor
// of the following page, "" on the last. A cursor this server did not hand
// out is cursor.ErrBad.
func (s *Store) InvitationsPage(ctx context.Context, orgID, examID string, limit int, after string) (items []Invitation, next string, err error) {
	if _, err := s.Get(ctx, orgID, examID); err != nil {
		return nil, "", err
	}
	q, args := invitationSelect+`WHERE i.org_id = ? AND i.exam_id = ? `, []any{orgID, examID}
	if after != "" {
		at, id, err := cursor.Decode(after)
		if err != nil {
			return nil, "", err
		}
		q += `AND (i.created_at, i.id) > (?, ?::uuid) `
		args = append(args, at, id)
	}
	items = []Invitation{}
	err = s.db.WithContext(ctx).Raw(q+`ORDER BY i.created_at, i.id LIMIT ?`, append(args, limit+1)...).Scan(&items).Error
	if err != nil {
		return nil, "", fmt.Errorf("exam: list invitations: %w", err)
	}
	items, next = cursor.Trim(items, limit, func(i *Invitation) string { return cursor.Encode(i.CreatedAt, i.ID) })
	return items, next, nil
}

// Revoke withdraws an invitation that has not been started.
func (s *Store) Revoke(ctx context.Context, actor audit.Actor, id string) error {
	if !ValidID(id) {
		return ErrNotFound
	}
	orgID := actor.OrgID
	var res []struct {
		Started bool
		Revoked bool
		First   bool
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Raw(`WITH target AS (
			SELECT i.id, EXISTS (SELECT 1 FROM attempts a WHERE a.invitation_id = i.id) AS started
			FROM invitations i WHERE i.org_id = ? AND i.id = ? FOR UPDATE),
		prev AS (SELECT revoked_at IS NULL AS first FROM invitations WHERE id IN (SELECT id FROM target)),
		upd AS (UPDATE invitations SET revoked_at = coalesce(revoked_at, now())
			WHERE id IN (SELECT id FROM target WHERE NOT started) RETURNING id)
		SELECT started, EXISTS (SELECT 1 FROM upd) AS revoked, coalesce((SELECT first FROM prev), false) AS first FROM target`, orgID, id).Scan(&res).Error
		if err != nil || len(res) == 0 || !res[0].Revoked || !res[0].First {
			return err
		}
		// Only the revocation that changed something is recorded; a
		// repeated DELETE is idempotent and leaves no second row.
		return audit.Record(tx, actor, audit.InvitationRevoked, "invitation:"+id, nil)
	})
	if err != nil {
		return fmt.Errorf("exam: revoke: %w", err)
	}
	if len(res) == 0 {
		return ErrNotFound
	}
	if res[0].Started {
		return ErrInvitationStarted
	}
	return nil
}

// CandidateInvitation is what a candidate session knows of its invitation.
type CandidateInvitation struct {
	ID            string
	OrgID         string
	ExamID        string
	ExamVersion   int
	CandidateName string
	Track         string
	Status        string
	OpensAt       *time.Time
	ClosesAt      *time.Time
	ExtraTime     int
	Revoked       bool
	AttemptID     *string
	SubmitBy      *time.Time
	Now           time.Time
}

// SessionInfo is the welcome page's data.
type SessionInfo struct {
	Invitation CandidateInvitation
	Exam       *Document
	// TokenExpires is when the candidate's token should expire: at least
	// 10 minutes after deadline + grace, whenever the attempt starts.
	TokenExpires time.Time
}

const candidateInvitationSelect = `SELECT i.id, i.org_id, i.exam_id, i.exam_version, i.candidate_name, i.track,
	CASE WHEN i.revoked_at IS NOT NULL THEN 'revoked' WHEN a.id IS NULL THEN 'pending' ELSE a.status END AS status,
	i.opens_at, i.closes_at, i.extra_time_seconds AS extra_time, i.revoked_at IS NOT NULL AS revoked, a.id AS attempt_id, a.submit_by, now() AS now
	FROM invitations i LEFT JOIN attempts a ON a.invitation_id = i.id `

// OpenSession checks an invitation token and the invitation's window.
func (s *Store) OpenSession(ctx context.Context, token string) (*SessionInfo, error) {
	var rows []CandidateInvitation
	if err := s.db.WithContext(ctx).Raw(candidateInvitationSelect+`WHERE i.token_hash = ?`, opaque.Hash(token)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("exam: session: %w", err)
	}
	if len(rows) == 0 || rows[0].Revoked {
		return nil, ErrInvalidToken
	}
	inv := rows[0]
	if inv.AttemptID == nil {
		if inv.OpensAt != nil && inv.Now.Before(*inv.OpensAt) {
			return nil, ErrNotOpen
		}
		if inv.ClosesAt != nil && !inv.Now.Before(*inv.ClosesAt) {
			return nil, ErrWindowClosed
		}
	}
	d, err := s.cachedVersion(ctx, inv.ExamID, inv.ExamVersion)
	if err != nil {
		return nil, err
	}
	s.invitationVersions.Put(inv.ID, invitationVersion{inv.ExamID, inv.ExamVersion}) // for StartAttempt
	info := &SessionInfo{Invitation: inv, Exam: d}
	if inv.SubmitBy != nil {
		info.TokenExpires = inv.SubmitBy.Add(10 * time.Minute)
		if min := inv.Now.Add(10 * time.Minute); info.TokenExpires.Before(min) {
			info.TokenExpires = min // the final page still needs a little while
		}
	} else {
		// Not started: the attempt may begin at any time within the window,
		// so the token must outlive the latest possible deadline + grace.
		latestStart := inv.Now.Add(12 * time.Hour)
		if inv.ClosesAt != nil && inv.ClosesAt.Before(latestStart) {
			latestStart = *inv.ClosesAt
		}
		info.TokenExpires = latestStart.Add(time.Duration(d.TimeLimitSeconds+inv.ExtraTime+d.Grace())*time.Second + 10*time.Minute)
	}
	return info, nil
}

// CandidateInvitation reads the invitation a candidate token is bound to.
func (s *Store) CandidateInvitation(ctx context.Context, invitationID string) (*CandidateInvitation, error) {
	if !ValidID(invitationID) {
		return nil, ErrNotFound
	}
	return database.One[CandidateInvitation](s.db.WithContext(ctx), ErrNotFound, "exam: candidate",
		candidateInvitationSelect+`WHERE i.id = ?`, invitationID)
}
