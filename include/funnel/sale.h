/*
 * funnel/sale.h - the sale after qualification (SPEC §5) and the stage gates (§2).
 *
 * Needs discovery (preparation, SPIN, decision chain, purchase timeline), the customer needs list
 * in versions and its confirmation by the customer, the solution and its presentation, quotes with
 * discount approval, obstacles, the deal, and after-sales (hand-over, care, satisfaction,
 * repurchase and referral leads).
 *
 * The conventions of funnel/funnel.h hold: every write is atomic and audited, the caller passes
 * the clock and the actor, errors name the field. Everything here works on leads that count in the
 * funnel (not invalid, not merged) and that the actor may change (SPEC §8).
 *
 * Stage gates (config gate.propose, gate.negotiate, gate.won; "on" by default): a forward move
 * that enters or passes 'propose' needs a confirmed needs list; 'negotiate' needs at least one
 * solution item; the last stage needs a deal (contract amount and signing date). A refused move
 * fails with FNL_EGATE naming the gate and what is missing. fnl_lead_force() passes the gates, for
 * managers and admins only, and the audit log records which gates were forced.
 */
#ifndef FUNNEL_SALE_H
#define FUNNEL_SALE_H

#include "funnel/funnel.h"

/* ---- stage gates ---- */

/* Move like fnl_lead_move, passing the stage gates (manager or admin; FNL_EPERM otherwise). */
int fnl_lead_force(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *stage,
		   const char *note, struct fnl_lead *out);

/* ---- needs discovery ---- */

/* Roles in the customer's decision: decision_maker, influencer, user, gatekeeper. */
int fnl_contact_role_valid(const char *role);
const char *fnl_contact_role_name(const char *role, const char *lang);

/* Preparation notes and the purchase timeline of a lead (one record a lead). */
struct fnl_prep {
	int64_t lead_id;
	char background[FNL_NOTE_LEN];  /* company background, standing in the industry */
	char news[FNL_NOTE_LEN];        /* recent news */
	char contact_role[24];          /* the lead contact's role in the decision, or "" */
	char decision_date[11];         /* expected decision date YYYY-MM-DD, or "" */
	int64_t updated_at;             /* 0 when nothing was recorded yet */
};

/* Set the fields that are not NULL ("" clears). contact_role must be a role or "";
 * decision_date a real date or "". */
int fnl_prep_set(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *background,
		 const char *news, const char *contact_role, const char *decision_date, struct fnl_prep *out);
/* The record, all empty (updated_at 0) when none. */
int fnl_prep_get(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_prep *out);

/* SPIN: kind "S" situation, "P" problem, "I" implication, "N" need-payoff. */
struct fnl_spin {
	int64_t id, lead_id;
	char kind[2];
	char question[FNL_NOTE_LEN];
	char answer[FNL_NOTE_LEN];
	int64_t at;
	char user[FNL_KEY_LEN];
};
int fnl_spin_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *kind,
		 const char *question, const char *answer, struct fnl_spin *out);
int fnl_spin_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_spin **out,
		  size_t *n);

/* The decision chain: the customer's people and their roles. */
struct fnl_contact {
	int64_t id, lead_id;
	char name[FNL_NAME_LEN];
	char title[FNL_NAME_LEN];
	char role[24];
	char phone[40];
	char email[FNL_TEXT_LEN];
	char notes[FNL_TEXT_LEN];
	int64_t created_at;
};
/* Add a contact: name and role required; phone (normalised) and email checked when given. */
int fnl_contact_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *name,
		    const char *title, const char *role, const char *phone, const char *email,
		    const char *notes, struct fnl_contact *out);
int fnl_contact_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		     struct fnl_contact **out, size_t *n);

/* ---- the customer needs list ---- */

#define FNL_NEED_SPINS 8

/* One need. num is its number on the lead, kept through the versions (N1, N2, ...). */
struct fnl_need {
	int num;
	char text[FNL_NOTE_LEN];
	int priority;                     /* 1 (highest) to 3 */
	int n_spin;
	int64_t spin[FNL_NEED_SPINS];     /* the SPIN entries behind it */
};

/* One version of the list. confirmed_at 0: a draft (only the newest version can be one). */
struct fnl_needs {
	int64_t lead_id;
	int version;                      /* 0: the lead has no needs list yet */
	int64_t created_at;
	char created_by[FNL_KEY_LEN];
	int64_t confirmed_at;
	int64_t confirmed_contact;        /* a decision-chain contact, or 0 for the lead's contact */
	char confirmed_name[FNL_NAME_LEN];
	char confirmed_how[16];           /* phone, email, meeting, message */
	char recorded_by[FNL_KEY_LEN];
	size_t n;
	struct fnl_need *items;           /* owned; free with fnl_needs_free() */
};

void fnl_needs_free(struct fnl_needs *needs);

/*
 * Change the list: add a need, edit one (text NULL / priority 0 / spin NULL leave that part), or
 * remove one. The change goes to the draft; when the newest version is confirmed (or there is no
 * list yet) a new version starts from it, unconfirmed. spin ids must be SPIN entries of the lead.
 * *out (may be NULL) gets the draft after the change.
 */
int fnl_needs_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *text,
		  int priority, const int64_t *spin, size_t n_spin, struct fnl_needs *out);
int fnl_needs_edit(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int num,
		   const char *text, int priority, const int64_t *spin, size_t n_spin,
		   struct fnl_needs *out);
int fnl_needs_remove(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int num,
		     struct fnl_needs *out);

/* Record the customer's confirmation of the newest version: by contact (a decision-chain contact
 * id, or 0 for the lead's contact), how (phone, email, meeting, message), at (0: ctx->now). */
int fnl_needs_confirm(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t contact,
		      const char *how, int64_t at, struct fnl_needs *out);

/* A version (0: the newest). version 0 of a lead without a list gives an empty list. */
int fnl_needs_get(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int version,
		  struct fnl_needs *out);
/* The newest confirmed version, or FNL_ENOTFOUND. */
int fnl_needs_confirmed(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
			struct fnl_needs *out);
/* Every version, oldest first; free each with fnl_needs_free() and the array with free(). */
int fnl_needs_history(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_needs **out, size_t *n);

/* ---- the solution ---- */

struct fnl_solution_item {
	int64_t id, lead_id;
	int need_num;                 /* the need it answers */
	char need[FNL_NOTE_LEN];      /* the need's text in the newest version */
	char function[FNL_NOTE_LEN];  /* what the product does for it */
	char value[FNL_NOTE_LEN];     /* what it brings the customer */
	char figure[32];              /* a quantified value, a decimal ("30", "50000"), or "" */
	char unit[64];                /* its unit ("%", "hours/week", "CNY/year"), or "" */
	char case_ref[FNL_TEXT_LEN];  /* a reference customer or project */
	int64_t created_at;
	char user[FNL_KEY_LEN];
};

/* Add an item for need need_num of the newest needs list. function and value are required; a
 * figure must be a decimal and needs a unit. */
int fnl_solution_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int need_num,
		     const char *function, const char *value, const char *figure, const char *unit,
		     const char *case_ref, struct fnl_solution_item *out);
int fnl_solution_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_solution_item **out, size_t *n);

struct fnl_presentation {
	int64_t id, lead_id;
	char day[11];
	char attendees[FNL_TEXT_LEN];
	char feedback[FNL_NOTE_LEN];
	int64_t at;
	char user[FNL_KEY_LEN];
};
/* Record the presentation of the solution: day (YYYY-MM-DD), attendees, the customer's feedback. */
int fnl_presentation_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *day,
			 const char *attendees, const char *feedback, struct fnl_presentation *out);
int fnl_presentation_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
			  struct fnl_presentation **out, size_t *n);

/* ---- negotiation ---- */

/* Parse a percentage with at most two decimals ("15", "15.01", "0.5") into hundredths of a
 * percent (1500, 1501, 50), 0 to 100 %. FNL_EINVAL naming field otherwise. */
int fnl_percent_parse(const char *text, const char *field, int *bp, struct fnl_error *err);
/* Write hundredths of a percent as "15", "15.01" or "0.5" (no % sign). */
size_t fnl_percent_format(int bp, char *buf, size_t len);

struct fnl_quote {
	int64_t id, lead_id;
	int round;                   /* 1, 2, ... in the order given */
	int64_t amount;              /* the quoted amount, 分 */
	int discount;                /* hundredths of a percent */
	char terms[FNL_TEXT_LEN];    /* payment terms */
	int delivery_days;
	char status[16];             /* within_limit, pending, approved, rejected */
	int64_t created_at;
	char user[FNL_KEY_LEN];
	int64_t decided_at;
	char decided_by[FNL_KEY_LEN];
	char decision_note[FNL_TEXT_LEN];
};

/* Give a quote (the next round). A discount above quote.discount_limit is "pending" until a
 * manager or admin decides; at or below it, "within_limit". */
int fnl_quote_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t amount,
		  int discount, const char *terms, int delivery_days, struct fnl_quote *out);
/* Approve (approve 1) or reject (0) a pending quote of an open lead: a manager of the lead's team,
 * or an admin. FNL_ESTATE when the quote is not pending or the lead is not open. */
int fnl_quote_decide(fnl_db *db, const struct fnl_ctx *ctx, int64_t quote_id, int approve,
		     const char *note, struct fnl_quote *out);
int fnl_quote_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_quote **out,
		   size_t *n);

/* Obstacles to closing: type price, terms, delivery, competitor, authority, timing. */
struct fnl_obstacle {
	int64_t id, lead_id;
	char type[16];
	char text[FNL_NOTE_LEN];
	int64_t created_at;
	char user[FNL_KEY_LEN];
	int64_t resolved_at;         /* 0 while open */
	char resolution[FNL_NOTE_LEN];
};
int fnl_obstacle_type_valid(const char *type);
const char *fnl_obstacle_type_name(const char *type, const char *lang);
int fnl_obstacle_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *type,
		     const char *text, struct fnl_obstacle *out);
int fnl_obstacle_resolve(fnl_db *db, const struct fnl_ctx *ctx, int64_t obstacle_id,
			 const char *resolution, struct fnl_obstacle *out);
int fnl_obstacle_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_obstacle **out, size_t *n);

/* ---- the deal ---- */

struct fnl_deal {
	int64_t lead_id;
	char contract_no[64];
	int64_t amount;              /* 分 */
	char signed_on[11];          /* YYYY-MM-DD */
	char delivery_start[11];     /* YYYY-MM-DD or "" */
	int64_t created_at;
	char user[FNL_KEY_LEN];
};

/* Record the deal of an open lead (contract number, amount > 0, signing date not after today,
 * delivery start optional, not before signing) and move the lead to the last stage: won. The
 * stages it skips pass their gates, or force (managers and admins) passes them. The quote that
 * stands (the newest round not rejected), if the lead has quotes, must not be pending, and not all
 * may be rejected (FNL_ESTATE): force does not pass that. A lead
 * already won without a deal (forced) gets its deal recorded. *out is the won lead. */
int fnl_deal_close(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *contract_no,
		   int64_t amount, const char *signed_on, const char *delivery_start, int force,
		   struct fnl_lead *out);
/* The deal of a lead; FNL_ENOTFOUND when it has none. */
int fnl_deal_get(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_deal *out);

/* ---- after-sales ---- */

struct fnl_handover {
	int64_t id, lead_id;
	char from[FNL_KEY_LEN], to[FNL_KEY_LEN], user[FNL_KEY_LEN];
	int64_t at;
	char note[FNL_NOTE_LEN];
};
/* Hand a won customer over to an after-sales user (an event; the owner, a manager or an admin). */
int fnl_aftersales_handover(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *to,
			    const char *note, struct fnl_handover *out);
int fnl_handover_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_handover **out, size_t *n);

struct fnl_rating {
	int64_t id, lead_id;
	int score;                   /* satisfaction 1-5 */
	char note[FNL_NOTE_LEN];
	int64_t at;
	char user[FNL_KEY_LEN];
};
/* Record the customer's satisfaction with a won deal. */
int fnl_satisfaction_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int score,
			 const char *note, struct fnl_rating *out);
int fnl_satisfaction_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
			  struct fnl_rating **out, size_t *n);

/*
 * A repurchase: a new lead for the same company and contact as won lead lead_id, channel
 * "repurchase", linked to it (returning_of). in may give an owner and a source; other fields come
 * from the won lead. A repurchase that duplicates an open lead is merged like any capture.
 * A referral: a new lead (company, contact and a contact detail in in) on channel
 * "customer_referral", linked to the referring won customer (referred_by).
 * result, out and record_id as for fnl_lead_add.
 */
int fnl_lead_repurchase(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
			const struct fnl_lead_input *in, int *result, struct fnl_lead *out,
			int64_t *record_id);
int fnl_lead_referral(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      const struct fnl_lead_input *in, int *result, struct fnl_lead *out,
		      int64_t *record_id);

/* The leads linked to a lead, both ways (those the actor may see). kind: "repurchase_of" (this
 * lead repurchases id), "repurchase" (id repurchases this lead), "returning_of" (this lead is a
 * returning customer of id), "returning" (id is a returning customer of this lead), "referred_by"
 * (id referred this lead), "referral" (this customer referred id). */
struct fnl_link {
	char kind[16];
	int64_t id;
	char company[FNL_COMPANY_LEN];
	char contact[FNL_NAME_LEN];
	char status[12];
	char stage[FNL_KEY_LEN];
};
int fnl_lead_links(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_link **out,
		   size_t *n);

/* ---- the printable document ---- */

/*
 * The lead's confirmed needs list (newest confirmed version, or the draft marked as unconfirmed)
 * and its solution as a self-contained, printable HTML page in lang ("zh" or "en"): the company,
 * the contact, the version and the date of confirmation. *html is allocated (free()).
 */
int fnl_lead_document(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *lang,
		      char **html, size_t *len);

#endif
