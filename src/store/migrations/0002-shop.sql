-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The shop: catalog, customers, staff, carts and reservations, orders and
-- their payments, refunds and disputes, invoices, subscriptions, service
-- sessions, shifts, and the Stripe bookkeeping.
--
-- Conventions: amounts are INTEGER minor units of the row's currency,
-- quantities INTEGER thousandths, rates INTEGER parts per million, times
-- TEXT in ISO 8601 UTC with microseconds (as the journal writes them),
-- enumerations TEXT holding the nick of the matching core enum, flags
-- INTEGER 0/1. Every table is STRICT.

-- Tax rates offered when editing items; items keep their own rate.
CREATE TABLE tax_rate (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL CHECK (name <> ''),
  rate        INTEGER NOT NULL CHECK (rate BETWEEN 0 AND 1000000),
  is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX tax_rate_one_default ON tax_rate (is_default) WHERE is_default = 1;

-- Catalog --------------------------------------------------------------

-- The tables a sale or an import writes spell their choices of three or
-- more values as OR chains: SQLite checks `x IN (…)` of that size by
-- building a temporary index for every row written, which costs more
-- than the rest of the row.

CREATE TABLE catalog_item (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('product', 'service')),
  name             TEXT NOT NULL CHECK (name <> ''),
  description      TEXT NOT NULL DEFAULT '',
  item_type        TEXT NOT NULL DEFAULT '',
  sku              TEXT UNIQUE CHECK (sku IS NULL OR sku <> ''),
  barcode          TEXT UNIQUE CHECK (barcode IS NULL OR barcode <> ''),
  price            INTEGER NOT NULL,
  currency         TEXT NOT NULL CHECK (length (currency) = 3 AND currency = upper (currency)),
  tax_rate         INTEGER NOT NULL CHECK (tax_rate BETWEEN 0 AND 1000000),
  pricing          TEXT NOT NULL DEFAULT 'one-time' CHECK (pricing IN ('one-time', 'recurring')),
  billing_interval TEXT NOT NULL DEFAULT 'none' CHECK (billing_interval = 'none' OR
                                                       billing_interval = 'month' OR
                                                       billing_interval = 'year'),
  interval_count   INTEGER NOT NULL DEFAULT 1 CHECK (interval_count >= 1),
  cycles           INTEGER NOT NULL DEFAULT 0 CHECK (cycles >= 0),
  duration_minutes INTEGER NOT NULL DEFAULT 0 CHECK (duration_minutes >= 0),
  stock_on_hand    INTEGER NOT NULL DEFAULT 0,
  status           TEXT NOT NULL DEFAULT 'draft' CHECK (status = 'active' OR status = 'draft' OR
                                                        status = 'archived'),
  public           INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
  sort_order       INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  CHECK (pricing = 'one-time' OR billing_interval <> 'none'),
  CHECK (kind = 'product' OR duration_minutes > 0)
) STRICT;
CREATE INDEX catalog_item_listing ON catalog_item (status, sort_order, name);
-- The unfiltered listing pages in the same order without sorting the table.
CREATE INDEX catalog_item_order ON catalog_item (sort_order, name);

-- Images are kept in the database so one backup file carries the whole
-- shop and a restore never finds pictures missing.
CREATE TABLE catalog_image (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES catalog_item (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL DEFAULT 0,
  media_type  TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/svg+xml')),
  data        BLOB NOT NULL,
  UNIQUE (item_id, position)
) STRICT;

-- Full-text search as the cashier types; prefix indexes keep short
-- prefixes fast on large catalogs.
CREATE VIRTUAL TABLE catalog_search USING fts5 (
  name, sku, barcode, description,
  content = 'catalog_item',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);
CREATE TRIGGER catalog_search_insert AFTER INSERT ON catalog_item BEGIN
  INSERT INTO catalog_search (rowid, name, sku, barcode, description)
  VALUES (NEW.id, NEW.name, coalesce (NEW.sku, ''), coalesce (NEW.barcode, ''), NEW.description);
END;
CREATE TRIGGER catalog_search_delete AFTER DELETE ON catalog_item BEGIN
  INSERT INTO catalog_search (catalog_search, rowid, name, sku, barcode, description)
  VALUES ('delete', OLD.id, OLD.name, coalesce (OLD.sku, ''), coalesce (OLD.barcode, ''), OLD.description);
END;
CREATE TRIGGER catalog_search_update AFTER UPDATE OF name, sku, barcode, description ON catalog_item BEGIN
  INSERT INTO catalog_search (catalog_search, rowid, name, sku, barcode, description)
  VALUES ('delete', OLD.id, OLD.name, coalesce (OLD.sku, ''), coalesce (OLD.barcode, ''), OLD.description);
  INSERT INTO catalog_search (rowid, name, sku, barcode, description)
  VALUES (NEW.id, NEW.name, coalesce (NEW.sku, ''), coalesce (NEW.barcode, ''), NEW.description);
END;

-- People ---------------------------------------------------------------

-- Addresses are stored exactly as typed, never trimmed or shortened.
-- Row 1 is the walk-in customer of anonymous till sales.
CREATE TABLE customer (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL CHECK (name <> ''),
  email            TEXT NOT NULL DEFAULT '',
  phone            TEXT NOT NULL DEFAULT '',
  billing_address  TEXT NOT NULL DEFAULT '',
  shipping_address TEXT NOT NULL DEFAULT '',
  is_walk_in       INTEGER NOT NULL DEFAULT 0 CHECK (is_walk_in IN (0, 1)),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX customer_email ON customer (email COLLATE NOCASE) WHERE email <> '';
-- Customer lists page through names in this order.
CREATE INDEX customer_name ON customer (name COLLATE NOCASE, id);
CREATE UNIQUE INDEX customer_one_walk_in ON customer (is_walk_in) WHERE is_walk_in = 1;
INSERT INTO customer (id, name, is_walk_in, created_at, updated_at)
VALUES (1, 'Walk-in customer', 1, strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'));
CREATE TRIGGER customer_keep_walk_in BEFORE DELETE ON customer WHEN OLD.is_walk_in = 1 BEGIN
  SELECT RAISE (ABORT, 'the walk-in customer cannot be deleted');
END;

-- Staff are archived (active = 0), never deleted: the audit log and the
-- shifts keep pointing at them.
CREATE TABLE staff (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL CHECK (name <> ''),
  role            TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'cashier', 'catalog-manager',
                                                'fulfilment', 'service-provider', 'refund-approver', 'viewer')),
  pin_hash        TEXT NOT NULL DEFAULT '',
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until    TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
) STRICT;
CREATE TRIGGER staff_no_delete BEFORE DELETE ON staff BEGIN
  SELECT RAISE (ABORT, 'staff members are archived, not deleted');
END;

-- Shifts and the cash drawer -------------------------------------------

-- A shift is one drawer's day (or part of it): the float it opened with,
-- the cash moved in and out, and the count it closed with. Each register
-- (till) has at most one open shift; the Z number counts closed shifts of
-- the whole store, gapless, and the Z report is frozen with it.
CREATE TABLE shift (
  id             INTEGER PRIMARY KEY,
  register_name  TEXT NOT NULL DEFAULT 'main' CHECK (register_name <> ''),
  z_number       INTEGER UNIQUE CHECK (z_number IS NULL OR z_number >= 1),
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  currency       TEXT NOT NULL CHECK (length (currency) = 3),
  opened_by      INTEGER NOT NULL REFERENCES staff (id),
  opened_at      TEXT NOT NULL,
  opening_float  INTEGER NOT NULL CHECK (opening_float >= 0),
  closed_by      INTEGER REFERENCES staff (id),
  closed_at      TEXT,
  counted_cash   INTEGER,
  expected_cash  INTEGER,
  z_report       TEXT CHECK (z_report IS NULL OR json_valid (z_report)),
  CHECK ((status = 'open') = (closed_at IS NULL)),
  CHECK (status = 'open' OR (z_number IS NOT NULL AND counted_cash IS NOT NULL AND z_report IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX shift_one_open ON shift (register_name) WHERE status = 'open';
-- A closed shift and its Z report are final.
CREATE TRIGGER shift_closed_is_final BEFORE UPDATE ON shift WHEN OLD.status = 'closed' BEGIN
  SELECT RAISE (ABORT, 'a closed shift cannot be changed');
END;
CREATE TRIGGER shift_no_delete BEFORE DELETE ON shift BEGIN
  SELECT RAISE (ABORT, 'shifts cannot be deleted');
END;

-- The closing count by denomination (minor units), written while the
-- shift closes and frozen with it.
CREATE TABLE shift_count (
  shift_id      INTEGER NOT NULL REFERENCES shift (id),
  denomination  INTEGER NOT NULL CHECK (denomination > 0),
  count         INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (shift_id, denomination)
) STRICT;
CREATE TRIGGER shift_count_open_only BEFORE INSERT ON shift_count
WHEN (SELECT status FROM shift WHERE id = NEW.shift_id) IS NOT 'open' BEGIN
  SELECT RAISE (ABORT, 'a closed shift cannot be changed');
END;
CREATE TRIGGER shift_count_final_update BEFORE UPDATE ON shift_count
WHEN (SELECT status FROM shift WHERE id = OLD.shift_id) = 'closed' BEGIN
  SELECT RAISE (ABORT, 'a closed shift cannot be changed');
END;
CREATE TRIGGER shift_count_final_delete BEFORE DELETE ON shift_count
WHEN (SELECT status FROM shift WHERE id = OLD.shift_id) = 'closed' BEGIN
  SELECT RAISE (ABORT, 'a closed shift cannot be changed');
END;

-- Paid in and paid out move an amount and say why; a "no sale" opens the
-- drawer without moving money, and says why too.
CREATE TABLE cash_movement (
  id          INTEGER PRIMARY KEY,
  shift_id    INTEGER NOT NULL REFERENCES shift (id),
  kind        TEXT NOT NULL CHECK (kind IN ('paid-in', 'paid-out', 'no-sale')),
  amount      INTEGER NOT NULL CHECK ((kind = 'no-sale') = (amount = 0) AND amount >= 0),
  reason      TEXT NOT NULL CHECK (reason <> ''),
  staff_id    INTEGER NOT NULL REFERENCES staff (id),
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX cash_movement_shift ON cash_movement (shift_id);
CREATE TRIGGER cash_movement_open_shift BEFORE INSERT ON cash_movement
WHEN (SELECT status FROM shift WHERE id = NEW.shift_id) IS NOT 'open' BEGIN
  SELECT RAISE (ABORT, 'cash moves only in an open shift');
END;
CREATE TRIGGER cash_movement_immutable BEFORE UPDATE ON cash_movement BEGIN
  SELECT RAISE (ABORT, 'cash movements cannot be changed');
END;
CREATE TRIGGER cash_movement_no_delete BEFORE DELETE ON cash_movement BEGIN
  SELECT RAISE (ABORT, 'cash movements cannot be deleted');
END;

-- Carts and stock reservations -----------------------------------------

-- Carts are saved as they change, so a crash keeps open and parked carts.
CREATE TABLE cart (
  id               INTEGER PRIMARY KEY,
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'parked' OR
                                                       status = 'completed' OR status = 'abandoned'),
  label            TEXT NOT NULL DEFAULT '',
  staff_id         INTEGER REFERENCES staff (id),
  customer_id      INTEGER NOT NULL DEFAULT 1 REFERENCES customer (id),
  currency         TEXT NOT NULL CHECK (length (currency) = 3),
  discount_kind    TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind = 'none' OR
                                                       discount_kind = 'percent' OR
                                                       discount_kind = 'amount'),
  discount_value   INTEGER NOT NULL DEFAULT 0,
  delivery_method  TEXT NOT NULL DEFAULT 'none' CHECK (delivery_method = 'none' OR
                                                       delivery_method = 'pickup' OR
                                                       delivery_method = 'delivery'),
  delivery_address TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX cart_status ON cart (status);

CREATE TABLE cart_line (
  id               INTEGER PRIMARY KEY,
  cart_id          INTEGER NOT NULL REFERENCES cart (id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  item_id          INTEGER REFERENCES catalog_item (id),
  name             TEXT NOT NULL,
  sku              TEXT,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  -- What the line charges per unit: the override when price_overridden,
  -- else the item's price; item_price keeps the item's own price from
  -- when the line was rung up, so removing an override restores it.
  unit_price       INTEGER NOT NULL,
  item_price       INTEGER NOT NULL,
  price_overridden INTEGER NOT NULL DEFAULT 0 CHECK (price_overridden IN (0, 1)),
  tax_rate         INTEGER NOT NULL CHECK (tax_rate BETWEEN 0 AND 1000000),
  discount_kind    TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind = 'none' OR
                                                       discount_kind = 'percent' OR
                                                       discount_kind = 'amount'),
  discount_value   INTEGER NOT NULL DEFAULT 0,
  UNIQUE (cart_id, position)
) STRICT;

-- Stock held by an open or parked cart until it is sold or expires.
CREATE TABLE stock_reservation (
  cart_line_id  INTEGER PRIMARY KEY REFERENCES cart_line (id) ON DELETE CASCADE,
  item_id       INTEGER NOT NULL REFERENCES catalog_item (id),
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  expires_at    TEXT NOT NULL
) STRICT;
CREATE INDEX stock_reservation_item ON stock_reservation (item_id, expires_at);

-- Orders ---------------------------------------------------------------

-- Totals are the engine's result at the time of sale, kept so reports and
-- reprints need not recompute history under later settings; the tax
-- settings they were computed with are kept beside them.
CREATE TABLE "order" (
  id                          INTEGER PRIMARY KEY,
  number                      TEXT NOT NULL UNIQUE CHECK (number <> ''),
  customer_id                 INTEGER NOT NULL REFERENCES customer (id),
  currency                    TEXT NOT NULL CHECK (length (currency) = 3),
  mode                        TEXT NOT NULL CHECK (mode IN ('manual', 'stripe')),
  certified                   INTEGER NOT NULL DEFAULT 0 CHECK (certified IN (0, 1)),
  payment_status              TEXT NOT NULL DEFAULT 'created'
                              CHECK (payment_status = 'created' OR payment_status = 'paid' OR
                                     payment_status = 'failed' OR payment_status = 'expired' OR
                                     payment_status = 'partially-refunded' OR
                                     payment_status = 'refunded'),
  dispute_status              TEXT NOT NULL DEFAULT 'none',
  fulfilment_status           TEXT NOT NULL DEFAULT 'unfulfilled'
                              CHECK (fulfilment_status = 'unfulfilled' OR fulfilment_status = 'preparing' OR
                                     fulfilment_status = 'ready-for-pickup' OR
                                     fulfilment_status = 'out-for-delivery' OR
                                     fulfilment_status = 'delivered' OR fulfilment_status = 'cancelled'),
  delivery_method             TEXT NOT NULL DEFAULT 'none' CHECK (delivery_method = 'none' OR
                                                                  delivery_method = 'pickup' OR
                                                                  delivery_method = 'delivery'),
  shipping_cost               INTEGER NOT NULL DEFAULT 0,
  shipping_tax_rate           INTEGER NOT NULL DEFAULT 0 CHECK (shipping_tax_rate BETWEEN 0 AND 1000000),
  shipping_address            TEXT NOT NULL DEFAULT '',
  billing_address             TEXT NOT NULL DEFAULT '',
  shipping_status             TEXT NOT NULL DEFAULT '',
  tracking_url                TEXT NOT NULL DEFAULT '',
  prices_include_tax          INTEGER NOT NULL CHECK (prices_include_tax IN (0, 1)),
  tax_scope                   TEXT NOT NULL CHECK (tax_scope IN ('document', 'line')),
  rounding                    TEXT NOT NULL CHECK (rounding IN ('half-up', 'half-even')),
  discount_kind               TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind = 'none' OR
                                                                  discount_kind = 'percent' OR
                                                                  discount_kind = 'amount'),
  discount_value              INTEGER NOT NULL DEFAULT 0,
  untaxed                     INTEGER NOT NULL,
  tax                         INTEGER NOT NULL,
  total                       INTEGER NOT NULL CHECK (total = untaxed + tax),
  cash_rounding               INTEGER NOT NULL DEFAULT 0,
  stripe_checkout_session_id  TEXT,
  stripe_payment_intent_id    TEXT,
  staff_id                    INTEGER REFERENCES staff (id),
  shift_id                    INTEGER REFERENCES shift (id),
  cart_id                     INTEGER REFERENCES cart (id),
  created_at                  TEXT NOT NULL,
  paid_at                     TEXT,
  updated_at                  TEXT NOT NULL
) STRICT;
CREATE INDEX order_created ON "order" (created_at);
-- A customer's orders are listed newest first; the time in the key spares
-- a sort of a regular's whole history.
CREATE INDEX order_customer ON "order" (customer_id, created_at);
CREATE INDEX order_shift ON "order" (shift_id);
-- Unique among the orders that have them; till sales, which have none,
-- stay out of these indexes and write two pages less.
CREATE UNIQUE INDEX order_stripe_session ON "order" (stripe_checkout_session_id)
  WHERE stripe_checkout_session_id IS NOT NULL;
CREATE UNIQUE INDEX order_stripe_intent ON "order" (stripe_payment_intent_id)
  WHERE stripe_payment_intent_id IS NOT NULL;

-- Once Stripe has certified an order its amounts and lines are locked:
-- only fulfilment, shipping status and tracking (and what Stripe itself
-- reports: payment and dispute status, refund progress) may change.
CREATE TRIGGER order_stripe_locked BEFORE UPDATE ON "order"
WHEN OLD.mode = 'stripe' AND OLD.certified = 1 AND (
     NEW.number IS NOT OLD.number OR NEW.customer_id IS NOT OLD.customer_id
  OR NEW.currency IS NOT OLD.currency OR NEW.mode IS NOT OLD.mode OR NEW.certified IS NOT OLD.certified
  OR NEW.shipping_cost IS NOT OLD.shipping_cost OR NEW.shipping_tax_rate IS NOT OLD.shipping_tax_rate
  OR NEW.shipping_address IS NOT OLD.shipping_address OR NEW.billing_address IS NOT OLD.billing_address
  OR NEW.delivery_method IS NOT OLD.delivery_method
  OR NEW.prices_include_tax IS NOT OLD.prices_include_tax OR NEW.tax_scope IS NOT OLD.tax_scope
  OR NEW.rounding IS NOT OLD.rounding OR NEW.discount_kind IS NOT OLD.discount_kind
  OR NEW.discount_value IS NOT OLD.discount_value
  OR NEW.untaxed IS NOT OLD.untaxed OR NEW.tax IS NOT OLD.tax OR NEW.total IS NOT OLD.total
  OR NEW.cash_rounding IS NOT OLD.cash_rounding OR NEW.created_at IS NOT OLD.created_at
  OR NEW.stripe_checkout_session_id IS NOT OLD.stripe_checkout_session_id)
BEGIN
  SELECT RAISE (ABORT, 'a Stripe-managed order''s amounts and lines are locked');
END;
CREATE TRIGGER order_no_delete BEFORE DELETE ON "order" BEGIN
  SELECT RAISE (ABORT, 'orders cannot be deleted; cancel them');
END;

CREATE TABLE order_line (
  id               INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES "order" (id),
  position         INTEGER NOT NULL,
  item_id          INTEGER REFERENCES catalog_item (id),
  sku              TEXT,
  name             TEXT NOT NULL,
  quantity         INTEGER NOT NULL,
  unit_price       INTEGER NOT NULL,
  tax_rate         INTEGER NOT NULL CHECK (tax_rate BETWEEN 0 AND 1000000),
  discount_kind    TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind = 'none' OR
                                                       discount_kind = 'percent' OR
                                                       discount_kind = 'amount'),
  discount_value   INTEGER NOT NULL DEFAULT 0,
  delivery_method  TEXT NOT NULL DEFAULT 'none' CHECK (delivery_method = 'none' OR
                                                       delivery_method = 'pickup' OR
                                                       delivery_method = 'delivery'),
  net              INTEGER NOT NULL,
  tax              INTEGER NOT NULL,
  refunded_quantity INTEGER NOT NULL DEFAULT 0,
  UNIQUE (order_id, position)
) STRICT;
CREATE TRIGGER order_line_stripe_locked_insert BEFORE INSERT ON order_line
WHEN (SELECT mode = 'stripe' AND certified = 1 FROM "order" WHERE id = NEW.order_id) BEGIN
  SELECT RAISE (ABORT, 'a Stripe-managed order''s amounts and lines are locked');
END;
CREATE TRIGGER order_line_stripe_locked_update BEFORE UPDATE ON order_line
WHEN (SELECT mode = 'stripe' AND certified = 1 FROM "order" WHERE id = OLD.order_id)
 AND (NEW.order_id IS NOT OLD.order_id OR NEW.position IS NOT OLD.position OR NEW.item_id IS NOT OLD.item_id
   OR NEW.sku IS NOT OLD.sku OR NEW.name IS NOT OLD.name OR NEW.quantity IS NOT OLD.quantity
   OR NEW.unit_price IS NOT OLD.unit_price OR NEW.tax_rate IS NOT OLD.tax_rate
   OR NEW.discount_kind IS NOT OLD.discount_kind OR NEW.discount_value IS NOT OLD.discount_value
   OR NEW.net IS NOT OLD.net OR NEW.tax IS NOT OLD.tax) BEGIN
  SELECT RAISE (ABORT, 'a Stripe-managed order''s amounts and lines are locked');
END;
CREATE TRIGGER order_line_no_delete BEFORE DELETE ON order_line
WHEN (SELECT mode = 'stripe' AND certified = 1 FROM "order" WHERE id = OLD.order_id) BEGIN
  SELECT RAISE (ABORT, 'a Stripe-managed order''s amounts and lines are locked');
END;

-- One row per tender; an order paid by several tenders has several.
CREATE TABLE payment (
  id                       INTEGER PRIMARY KEY,
  order_id                 INTEGER NOT NULL REFERENCES "order" (id),
  provider                 TEXT NOT NULL CHECK (provider <> ''),
  status                   TEXT NOT NULL DEFAULT 'succeeded'
                           CHECK (status = 'pending' OR status = 'succeeded' OR status = 'failed' OR
                                  status = 'cancelled' OR status = 'unknown'),
  amount                   INTEGER NOT NULL,
  currency                 TEXT NOT NULL CHECK (length (currency) = 3),
  tendered                 INTEGER,
  change_given             INTEGER NOT NULL DEFAULT 0,
  method_label             TEXT NOT NULL DEFAULT '',
  reference                TEXT NOT NULL DEFAULT '',
  stripe_payment_intent_id TEXT,
  stripe_charge_id         TEXT,
  idempotency_key          TEXT UNIQUE,
  refunded_amount          INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount BETWEEN 0 AND amount),
  paid_at                  TEXT,
  created_at               TEXT NOT NULL
) STRICT;
CREATE INDEX payment_order ON payment (order_id);
CREATE INDEX payment_intent ON payment (stripe_payment_intent_id) WHERE stripe_payment_intent_id IS NOT NULL;

CREATE TABLE refund (
  id               INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES "order" (id),
  payment_id       INTEGER REFERENCES payment (id),
  amount           INTEGER NOT NULL CHECK (amount > 0),
  currency         TEXT NOT NULL CHECK (length (currency) = 3),
  reason           TEXT NOT NULL CHECK (reason IN ('duplicate', 'fraudulent', 'requested-by-customer', 'other')),
  note             TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'unknown')),
  stripe_refund_id TEXT UNIQUE,
  idempotency_key  TEXT UNIQUE,
  requested_by     INTEGER REFERENCES staff (id),
  approved_by      INTEGER REFERENCES staff (id),
  credit_note_id   INTEGER REFERENCES invoice (id),
  -- The shift whose drawer paid a cash refund out; a refund is often
  -- made in a later shift than the sale.
  shift_id         INTEGER REFERENCES shift (id),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX refund_order ON refund (order_id);
CREATE INDEX refund_shift ON refund (shift_id) WHERE shift_id IS NOT NULL;

CREATE TABLE refund_line (
  refund_id      INTEGER NOT NULL REFERENCES refund (id),
  order_line_id  INTEGER NOT NULL REFERENCES order_line (id),
  quantity       INTEGER NOT NULL CHECK (quantity > 0),
  amount         INTEGER NOT NULL CHECK (amount > 0),
  PRIMARY KEY (refund_id, order_line_id)
) STRICT;

-- What went back, or is on its way back, never exceeds what the payment
-- brought in; a failed refund no longer counts.
CREATE TRIGGER refund_within_payment_insert BEFORE INSERT ON refund
WHEN NEW.status <> 'failed' AND NEW.payment_id IS NOT NULL
 AND (SELECT coalesce (sum (amount), 0) FROM refund WHERE payment_id = NEW.payment_id AND status <> 'failed')
     + NEW.amount > (SELECT amount FROM payment WHERE id = NEW.payment_id) BEGIN
  SELECT RAISE (ABORT, 'a refund cannot exceed what is left of its payment');
END;
CREATE TRIGGER refund_within_payment_update BEFORE UPDATE OF payment_id, amount, status ON refund
WHEN NEW.status <> 'failed' AND NEW.payment_id IS NOT NULL
 AND (SELECT coalesce (sum (amount), 0) FROM refund
      WHERE payment_id = NEW.payment_id AND status <> 'failed' AND id <> OLD.id)
     + NEW.amount > (SELECT amount FROM payment WHERE id = NEW.payment_id) BEGIN
  SELECT RAISE (ABORT, 'a refund cannot exceed what is left of its payment');
END;
CREATE INDEX refund_payment ON refund (payment_id);

CREATE TABLE dispute (
  id                INTEGER PRIMARY KEY,
  order_id          INTEGER REFERENCES "order" (id),
  payment_id        INTEGER REFERENCES payment (id),
  stripe_dispute_id TEXT NOT NULL UNIQUE,
  stripe_charge_id  TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL,
  reason            TEXT NOT NULL DEFAULT '',
  amount            INTEGER NOT NULL,
  currency          TEXT NOT NULL CHECK (length (currency) = 3),
  evidence_due_by   TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX dispute_order ON dispute (order_id);

-- Invoices -------------------------------------------------------------

-- Numbers are allocated inside the issuing transaction from this table,
-- so a rolled-back issue leaves no gap. One sequence per kind and year:
-- credit notes count on their own. The counter only moves with an
-- invoice taking the number (see invoice_take_number), so for every kind
-- and year the issued numbers are exactly 1 … last_value.
CREATE TABLE invoice_sequence (
  kind        TEXT NOT NULL CHECK (kind IN ('invoice', 'credit-note')),
  year        INTEGER NOT NULL CHECK (year BETWEEN 1 AND 9999),
  last_value  INTEGER NOT NULL CHECK (last_value >= 1),
  PRIMARY KEY (kind, year)
) STRICT, WITHOUT ROWID;

-- The buyer is copied onto the invoice when it is issued: an issued
-- invoice shows what was true that day, whatever the customer edits later.
-- A draft may wait for its public token; an issued invoice has one.
CREATE TABLE invoice (
  id                   INTEGER PRIMARY KEY,
  kind                 TEXT NOT NULL CHECK (kind IN ('invoice', 'credit-note')),
  status               TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'paid', 'credited')),
  reference            TEXT UNIQUE,
  sequence_year        INTEGER,
  sequence_value       INTEGER,
  credited_invoice_id  INTEGER REFERENCES invoice (id),
  order_id             INTEGER REFERENCES "order" (id),
  customer_id          INTEGER NOT NULL REFERENCES customer (id),
  buyer_name           TEXT NOT NULL DEFAULT '',
  buyer_email          TEXT NOT NULL DEFAULT '',
  buyer_address        TEXT NOT NULL DEFAULT '',
  currency             TEXT NOT NULL CHECK (length (currency) = 3),
  prices_include_tax   INTEGER NOT NULL CHECK (prices_include_tax IN (0, 1)),
  tax_scope            TEXT NOT NULL CHECK (tax_scope IN ('document', 'line')),
  rounding             TEXT NOT NULL CHECK (rounding IN ('half-up', 'half-even')),
  issue_date           TEXT,
  due_date             TEXT,
  untaxed              INTEGER NOT NULL DEFAULT 0,
  tax                  INTEGER NOT NULL DEFAULT 0,
  total                INTEGER NOT NULL DEFAULT 0 CHECK (total = untaxed + tax),
  paid_amount          INTEGER NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
  paid_method          TEXT NOT NULL DEFAULT '',
  paid_at              TEXT,
  public_token         TEXT UNIQUE CHECK (public_token IS NULL OR (length (public_token) >= 22
                                          AND public_token NOT GLOB '*[^A-Za-z0-9_-]*')),
  stripe_invoice_id    TEXT UNIQUE,
  hosted_invoice_url   TEXT NOT NULL DEFAULT '',
  created_at           TEXT NOT NULL,
  issued_at            TEXT,
  UNIQUE (kind, sequence_year, sequence_value),
  CHECK ((status = 'draft') = (reference IS NULL)),
  CHECK ((status = 'draft') = (sequence_value IS NULL)),
  CHECK ((status = 'draft') = (sequence_year IS NULL)),
  CHECK (status = 'draft' OR (issue_date IS NOT NULL AND issued_at IS NOT NULL AND public_token IS NOT NULL)),
  CHECK (status <> 'paid' OR (paid_amount > 0 AND paid_at IS NOT NULL)),
  CHECK (status <> 'credited' OR kind = 'invoice'),
  CHECK ((kind = 'invoice') = (credited_invoice_id IS NULL))
) STRICT;
CREATE INDEX invoice_customer ON invoice (customer_id);
CREATE INDEX invoice_order ON invoice (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX invoice_credited ON invoice (credited_invoice_id) WHERE credited_invoice_id IS NOT NULL;

-- Issuing takes the next number of the kind's sequence for the year,
-- and nothing else: a number skipped or taken twice would be a gap or a
-- duplicate in the books. Rows only arrive numbered through this rule
-- too, so an import cannot slip in a number either.
CREATE TRIGGER invoice_take_number_insert BEFORE INSERT ON invoice
WHEN NEW.status <> 'draft' AND NEW.sequence_value IS NOT
     coalesce ((SELECT last_value FROM invoice_sequence WHERE kind = NEW.kind AND year = NEW.sequence_year), 0) + 1
BEGIN
  SELECT RAISE (ABORT, 'an invoice takes the next number of its sequence');
END;
CREATE TRIGGER invoice_take_number BEFORE UPDATE OF status ON invoice
WHEN OLD.status = 'draft' AND NEW.status <> 'draft' AND NEW.sequence_value IS NOT
     coalesce ((SELECT last_value FROM invoice_sequence WHERE kind = NEW.kind AND year = NEW.sequence_year), 0) + 1
BEGIN
  SELECT RAISE (ABORT, 'an invoice takes the next number of its sequence');
END;
CREATE TRIGGER invoice_issue_first BEFORE UPDATE OF status ON invoice
WHEN OLD.status = 'draft' AND NEW.status NOT IN ('draft', 'issued')
BEGIN
  SELECT RAISE (ABORT, 'a draft is issued before it is paid or credited');
END;
CREATE TRIGGER invoice_advance_sequence_insert AFTER INSERT ON invoice WHEN NEW.status <> 'draft' BEGIN
  UPDATE invoice_sequence SET last_value = NEW.sequence_value WHERE kind = NEW.kind AND year = NEW.sequence_year;
  INSERT INTO invoice_sequence (kind, year, last_value)
  SELECT NEW.kind, NEW.sequence_year, NEW.sequence_value
  WHERE NOT EXISTS (SELECT 1 FROM invoice_sequence WHERE kind = NEW.kind AND year = NEW.sequence_year);
END;
CREATE TRIGGER invoice_advance_sequence AFTER UPDATE OF status ON invoice
WHEN OLD.status = 'draft' AND NEW.status <> 'draft' BEGIN
  UPDATE invoice_sequence SET last_value = NEW.sequence_value WHERE kind = NEW.kind AND year = NEW.sequence_year;
  INSERT INTO invoice_sequence (kind, year, last_value)
  SELECT NEW.kind, NEW.sequence_year, NEW.sequence_value
  WHERE NOT EXISTS (SELECT 1 FROM invoice_sequence WHERE kind = NEW.kind AND year = NEW.sequence_year);
END;
-- The counter moves one at a time and only to a number an issued
-- invoice of its kind and year now holds.
CREATE TRIGGER invoice_sequence_forward BEFORE UPDATE ON invoice_sequence
WHEN NEW.last_value IS NOT OLD.last_value + 1 OR NEW.year IS NOT OLD.year OR NEW.kind IS NOT OLD.kind
  OR NOT EXISTS (SELECT 1 FROM invoice WHERE kind = NEW.kind AND sequence_year = NEW.year
                 AND sequence_value = NEW.last_value AND status <> 'draft')
BEGIN
  SELECT RAISE (ABORT, 'invoice numbers advance one at a time, as invoices are issued');
END;
CREATE TRIGGER invoice_sequence_start BEFORE INSERT ON invoice_sequence
WHEN NEW.last_value IS NOT 1
  OR NOT EXISTS (SELECT 1 FROM invoice WHERE kind = NEW.kind AND sequence_year = NEW.year
                 AND sequence_value = 1 AND status <> 'draft')
BEGIN
  SELECT RAISE (ABORT, 'invoice numbers start at 1, as invoices are issued');
END;
CREATE TRIGGER invoice_sequence_no_delete BEFORE DELETE ON invoice_sequence BEGIN
  SELECT RAISE (ABORT, 'invoice sequences cannot be deleted');
END;

-- A credit note credits an issued invoice, in its currency and for its
-- customer, and is itself numbered only once that invoice is.
CREATE TRIGGER invoice_credit_note_target BEFORE UPDATE OF status ON invoice
WHEN NEW.kind = 'credit-note' AND OLD.status = 'draft' AND NEW.status <> 'draft'
 AND NOT EXISTS (SELECT 1 FROM invoice AS i WHERE i.id = NEW.credited_invoice_id AND i.kind = 'invoice'
                 AND i.status <> 'draft' AND i.currency = NEW.currency AND i.customer_id = NEW.customer_id)
BEGIN
  SELECT RAISE (ABORT, 'a credit note credits an issued invoice of the same customer and currency');
END;

-- An issued invoice is final: only its payment record (once, while it is
-- issued), its status moving on (issued → paid → credited, issued →
-- credited) and its Stripe link may change afterwards.
CREATE TRIGGER invoice_issued_locked BEFORE UPDATE ON invoice
WHEN OLD.status <> 'draft' AND (
     NEW.id IS NOT OLD.id
  OR NEW.kind IS NOT OLD.kind OR NEW.reference IS NOT OLD.reference
  OR NEW.sequence_year IS NOT OLD.sequence_year OR NEW.sequence_value IS NOT OLD.sequence_value
  OR NEW.credited_invoice_id IS NOT OLD.credited_invoice_id OR NEW.order_id IS NOT OLD.order_id
  OR NEW.customer_id IS NOT OLD.customer_id OR NEW.buyer_name IS NOT OLD.buyer_name
  OR NEW.buyer_email IS NOT OLD.buyer_email OR NEW.buyer_address IS NOT OLD.buyer_address
  OR NEW.currency IS NOT OLD.currency OR NEW.prices_include_tax IS NOT OLD.prices_include_tax
  OR NEW.tax_scope IS NOT OLD.tax_scope OR NEW.rounding IS NOT OLD.rounding
  OR NEW.issue_date IS NOT OLD.issue_date OR NEW.due_date IS NOT OLD.due_date
  OR NEW.untaxed IS NOT OLD.untaxed OR NEW.tax IS NOT OLD.tax OR NEW.total IS NOT OLD.total
  OR NEW.public_token IS NOT OLD.public_token OR NEW.created_at IS NOT OLD.created_at
  OR NEW.issued_at IS NOT OLD.issued_at
  OR (OLD.status <> 'issued' AND (NEW.paid_amount IS NOT OLD.paid_amount
                                  OR NEW.paid_method IS NOT OLD.paid_method
                                  OR NEW.paid_at IS NOT OLD.paid_at))
  OR (NEW.status IS NOT OLD.status
      AND NOT (OLD.status = 'issued' AND NEW.status IN ('paid', 'credited'))
      AND NOT (OLD.status = 'paid' AND NEW.status = 'credited')))
BEGIN
  SELECT RAISE (ABORT, 'an issued invoice cannot be edited; issue a credit note');
END;
CREATE TRIGGER invoice_issued_no_delete BEFORE DELETE ON invoice WHEN OLD.status <> 'draft' BEGIN
  SELECT RAISE (ABORT, 'an issued invoice cannot be deleted; issue a credit note');
END;

CREATE TABLE invoice_line (
  id           INTEGER PRIMARY KEY,
  invoice_id   INTEGER NOT NULL REFERENCES invoice (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  name         TEXT NOT NULL CHECK (name <> ''),
  description  TEXT NOT NULL DEFAULT '',
  quantity     INTEGER NOT NULL,
  unit_price   INTEGER NOT NULL,
  tax_rate     INTEGER NOT NULL CHECK (tax_rate BETWEEN 0 AND 1000000),
  net          INTEGER NOT NULL,
  tax          INTEGER NOT NULL,
  UNIQUE (invoice_id, position)
) STRICT;
CREATE TRIGGER invoice_line_issued_insert BEFORE INSERT ON invoice_line
WHEN (SELECT status <> 'draft' FROM invoice WHERE id = NEW.invoice_id) BEGIN
  SELECT RAISE (ABORT, 'an issued invoice cannot be edited; issue a credit note');
END;
-- Both ends count: moving a line onto an issued invoice edits it too.
CREATE TRIGGER invoice_line_issued_update BEFORE UPDATE ON invoice_line
WHEN (SELECT status <> 'draft' FROM invoice WHERE id = OLD.invoice_id)
  OR (SELECT status <> 'draft' FROM invoice WHERE id = NEW.invoice_id) BEGIN
  SELECT RAISE (ABORT, 'an issued invoice cannot be edited; issue a credit note');
END;
CREATE TRIGGER invoice_line_issued_delete BEFORE DELETE ON invoice_line
WHEN (SELECT status <> 'draft' FROM invoice WHERE id = OLD.invoice_id) BEGIN
  SELECT RAISE (ABORT, 'an issued invoice cannot be edited; issue a credit note');
END;

-- Subscriptions and service sessions -----------------------------------

CREATE TABLE subscription (
  id                      INTEGER PRIMARY KEY,
  stripe_subscription_id  TEXT UNIQUE,
  stripe_customer_id      TEXT NOT NULL DEFAULT '',
  stripe_schedule_id      TEXT,
  customer_id             INTEGER NOT NULL REFERENCES customer (id),
  item_id                 INTEGER REFERENCES catalog_item (id),
  order_id                INTEGER REFERENCES "order" (id),
  status                  TEXT NOT NULL CHECK (status IN ('incomplete', 'incomplete-expired', 'trialing', 'active',
                                                          'past-due', 'paused', 'canceled', 'unpaid')),
  current_period_end      TEXT,
  cancel_at_period_end    INTEGER NOT NULL DEFAULT 0 CHECK (cancel_at_period_end IN (0, 1)),
  cancel_at               TEXT,
  cycles_billed           INTEGER NOT NULL DEFAULT 0 CHECK (cycles_billed >= 0),
  cycle_limit             INTEGER NOT NULL DEFAULT 0 CHECK (cycle_limit >= 0),
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL
) STRICT;
CREATE INDEX subscription_customer ON subscription (customer_id);

CREATE TABLE service_session (
  id                INTEGER PRIMARY KEY,
  order_id          INTEGER NOT NULL REFERENCES "order" (id),
  order_line_id     INTEGER REFERENCES order_line (id),
  item_id           INTEGER REFERENCES catalog_item (id),
  customer_id       INTEGER NOT NULL REFERENCES customer (id),
  duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'active' OR
                                                           status = 'expired' OR status = 'cancelled'),
  provider_staff_id INTEGER REFERENCES staff (id),
  started_at        TEXT,
  ends_at           TEXT,
  created_at        TEXT NOT NULL,
  CHECK ((started_at IS NULL) = (ends_at IS NULL))
) STRICT;
CREATE INDEX service_session_status ON service_session (status, ends_at);

-- Stripe bookkeeping ---------------------------------------------------

-- Every mutating request's key is written here before the request leaves,
-- so a retry after a crash reuses it and Stripe never charges twice.
CREATE TABLE stripe_request (
  idempotency_key  TEXT PRIMARY KEY CHECK (length (idempotency_key) BETWEEN 1 AND 255),
  method           TEXT NOT NULL,
  path             TEXT NOT NULL,
  body             TEXT NOT NULL DEFAULT '',
  entity_kind      TEXT NOT NULL DEFAULT '',
  entity_id        INTEGER,
  outcome          TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'succeeded', 'failed', 'unknown')),
  object_id        TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Work that must reach Stripe even when the network is down (refunds,
-- cancellations): retried with the request's original key.
CREATE TABLE stripe_outbox (
  id               INTEGER PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE REFERENCES stripe_request (idempotency_key),
  status           TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed')),
  next_attempt_at  TEXT NOT NULL,
  created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX stripe_outbox_due ON stripe_outbox (status, next_attempt_at);

-- Events already applied, so a duplicate delivery is ignored.
CREATE TABLE stripe_event (
  id            TEXT PRIMARY KEY,
  type          TEXT NOT NULL,
  created       INTEGER NOT NULL,
  applied_at    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX stripe_event_created ON stripe_event (created);

-- Store profile and settings -------------------------------------------

-- One row each (id = 1) with a typed column per value, rather than rows
-- of the key/value settings table: the CHECKs refuse a bad value whoever
-- writes it, the enumeration nicks are those of the order and invoice
-- columns, and reading everything is one row. No row yet means the
-- defaults, so a fresh file needs no seeding and takes the currency the
-- first run chooses. The logo lives here as a BLOB so one backup carries
-- the whole shop.
CREATE TABLE store_profile (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  name            TEXT NOT NULL DEFAULT '',
  tagline         TEXT NOT NULL DEFAULT '',
  address         TEXT NOT NULL DEFAULT '',
  tax_id          TEXT NOT NULL DEFAULT '',
  email           TEXT NOT NULL DEFAULT '',
  phone           TEXT NOT NULL DEFAULT '',
  website         TEXT NOT NULL DEFAULT '',
  receipt_footer  TEXT NOT NULL DEFAULT '',
  logo            BLOB,
  updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE store_settings (
  id                         INTEGER PRIMARY KEY CHECK (id = 1),
  currency                   TEXT NOT NULL CHECK (length (currency) = 3 AND currency = upper (currency)),
  prices_include_tax         INTEGER NOT NULL CHECK (prices_include_tax IN (0, 1)),
  tax_scope                  TEXT NOT NULL CHECK (tax_scope IN ('document', 'line')),
  rounding                   TEXT NOT NULL CHECK (rounding IN ('half-up', 'half-even')),
  cash_rounding_step         INTEGER NOT NULL CHECK (cash_rounding_step >= 0),
  reservation_minutes        INTEGER NOT NULL CHECK (reservation_minutes >= 1),
  allow_negative_stock       INTEGER NOT NULL CHECK (allow_negative_stock IN (0, 1)),
  delivery_enabled           INTEGER NOT NULL CHECK (delivery_enabled IN (0, 1)),
  pickup_enabled             INTEGER NOT NULL CHECK (pickup_enabled IN (0, 1)),
  invoice_number_format      TEXT NOT NULL CHECK (invoice_number_format <> ''),
  credit_note_number_format  TEXT NOT NULL CHECK (credit_note_number_format <> ''),
  invoice_due_days           INTEGER NOT NULL CHECK (invoice_due_days >= 0),
  updated_at                 TEXT NOT NULL
) STRICT;
