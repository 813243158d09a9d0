/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-transitions.h"

/* The documented tables, written out again by hand: row = from, column =
 * to, 'X' = legal. The tests compare every pair with the code. */

typedef struct
{
  const char   *name;
  GType       (*get_type) (void);
  const char  **table;
  gboolean    (*can) (int, int);
  gboolean    (*check) (int, int, GError **);
  guint       (*next) (int, int *, guint);
  const char *(*display) (int);
} Machine;

static const char *payment_table[] = {
  /*            C P F E p R */
  /* created */ ".XXX..",
  /* paid    */ "....XX",
  /* failed  */ ".X.X..",
  /* expired */ "......",
  /* partial */ "....XX",
  /* refunded*/ "......",
};

static const char *dispute_table[] = {
  /*                 N w v c n u W L */
  /* none         */ ".X..X...",
  /* warn needs   */ "..XXX...",
  /* warn review  */ "...XX...",
  /* warn closed  */ "....X...",
  /* needs resp   */ ".....XXX",
  /* under review */ "......XX",
  /* won          */ "........",
  /* lost         */ "........",
};

static const char *fulfilment_table[] = {
  /*               U P R O D C */
  /* unfulfilled */ ".X...X",
  /* preparing   */ "..XX.X",
  /* ready       */ "....XX",
  /* out         */ "....XX",
  /* delivered   */ "......",
  /* cancelled   */ "......",
};

static const char *invoice_table[] = {
  /*            D I P C */
  /* draft    */ ".X..",
  /* issued   */ "..XX",
  /* paid     */ "...X",
  /* credited */ "....",
};

static const char *subscription_table[] = {
  /*                     i e T A d P C U */
  /* incomplete       */ ".XXX..X.",
  /* incomplete exp.  */ "........",
  /* trialing         */ "...XXXX.",
  /* active           */ "....X.X.",
  /* past due         */ "...X..XX",
  /* paused           */ "...X..X.",
  /* canceled         */ "........",
  /* unpaid           */ "...X..X.",
};

static const char *session_table[] = {
  /*             P A E C */
  /* pending   */ ".X.X",
  /* active    */ "..XX",
  /* expired   */ "....",
  /* cancelled */ "....",
};

/* Typed wrappers, so the table below can hold one signature for all. */
#define WRAP(prefix, Type)                                                  \
  static gboolean prefix##_can (int from, int to)                           \
  { return prefix##_can_transition ((Type) from, (Type) to); }              \
  static gboolean prefix##_check (int from, int to, GError **error)         \
  { return prefix##_check_transition ((Type) from, (Type) to, error); }     \
  static guint prefix##_nxt (int from, int *out, guint n_out)               \
  {                                                                         \
    Type buf[32];                                                           \
    guint n = prefix##_next ((Type) from, out ? buf : NULL, MIN (n_out, 32)); \
    for (guint i = 0; out != NULL && i < MIN (n, n_out); i++)               \
      out[i] = (int) buf[i];                                                \
    return n;                                                               \
  }                                                                         \
  static const char *prefix##_name (int state)                              \
  { return prefix##_get_display_name ((Type) state); }

WRAP (kassa_payment_status, KassaPaymentStatus)
WRAP (kassa_dispute_status, KassaDisputeStatus)
WRAP (kassa_fulfilment_status, KassaFulfilmentStatus)
WRAP (kassa_invoice_status, KassaInvoiceStatus)
WRAP (kassa_subscription_status, KassaSubscriptionStatus)
WRAP (kassa_service_session_status, KassaServiceSessionStatus)

#define MACHINE(label, prefix, table) \
  { label, prefix##_get_type, table, prefix##_can, prefix##_check, prefix##_nxt, prefix##_name }

static const Machine machines[] = {
  MACHINE ("payment", kassa_payment_status, payment_table),
  MACHINE ("dispute", kassa_dispute_status, dispute_table),
  MACHINE ("fulfilment", kassa_fulfilment_status, fulfilment_table),
  MACHINE ("invoice", kassa_invoice_status, invoice_table),
  MACHINE ("subscription", kassa_subscription_status, subscription_table),
  MACHINE ("service-session", kassa_service_session_status, session_table),
};

static void
test_exhaustive (gconstpointer data)
{
  const Machine *m = data;
  g_autoptr(GEnumClass) klass = g_type_class_ref (m->get_type ());
  guint n = klass->n_values;
  guint n_legal = 0;

  for (guint from = 0; from < n; from++)
    {
      int out[32];
      guint n_expected = 0;
      guint n_next;

      g_assert_cmpuint (strlen (m->table[from]), ==, n);

      for (guint to = 0; to < n; to++)
        {
          g_autoptr(GError) error = NULL;
          gboolean expected = m->table[from][to] == 'X';

          g_test_message ("%s: %s -> %s", m->name,
                          klass->values[from].value_nick, klass->values[to].value_nick);

          g_assert_cmpint (m->can (from, to), ==, expected);
          g_assert_cmpint (m->check (from, to, &error), ==, expected);

          if (expected)
            {
              g_assert_no_error (error);
              n_expected++;
              n_legal++;
            }
          else
            {
              g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
              /* The message names the rule: both states, by their labels. */
              g_assert_nonnull (strstr (error->message, m->display (from)));
              g_assert_nonnull (strstr (error->message, m->display (to)));
            }
        }

      /* Counting alone, then listing: the same states, in enum order. */
      g_assert_cmpuint (m->next (from, NULL, 0), ==, n_expected);
      n_next = m->next (from, out, G_N_ELEMENTS (out));
      g_assert_cmpuint (n_next, ==, n_expected);
      for (guint i = 0, to = 0; to < n; to++)
        {
          if (m->table[from][to] != 'X')
            continue;
          g_assert_cmpint (out[i], ==, (int) to);
          g_assert_true (m->can (from, out[i]));
          i++;
        }

      /* A short buffer gets a prefix but the full count. */
      if (n_expected > 1)
        {
          int one[1] = { -1 };

          g_assert_cmpuint (m->next (from, one, 1), ==, n_expected);
          g_assert_cmpint (one[0], ==, out[0]);
        }
    }

  /* A table with nothing legal would pass the loop above vacuously. */
  g_assert_cmpuint (n_legal, >, 0);
}

static void
test_display_names (gconstpointer data)
{
  const Machine *m = data;
  g_autoptr(GEnumClass) klass = g_type_class_ref (m->get_type ());
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < klass->n_values; i++)
    {
      const char *name = m->display (klass->values[i].value);

      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "");
      /* Two states with one label could not be told apart in a menu. */
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
    }
}

static void
test_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_payment_status_check_transition (KASSA_PAYMENT_STATUS_REFUNDED,
                                                         KASSA_PAYMENT_STATUS_PAID, &error));
  g_assert_cmpstr (error->message, ==,
                   "Payment status cannot go from “Refunded” to “Paid”: “Refunded” is final");
  g_clear_error (&error);

  g_assert_false (kassa_payment_status_check_transition (KASSA_PAYMENT_STATUS_PAID,
                                                         KASSA_PAYMENT_STATUS_CREATED, &error));
  g_assert_cmpstr (error->message, ==,
                   "Payment status cannot go from “Paid” to “Awaiting payment”");
  g_clear_error (&error);

  g_assert_false (kassa_fulfilment_status_check_transition (KASSA_FULFILMENT_STATUS_PREPARING,
                                                            KASSA_FULFILMENT_STATUS_PREPARING, &error));
  g_assert_cmpstr (error->message, ==, "Fulfilment status is already “Preparing”");
  g_clear_error (&error);

  /* The one self-transition on purpose: a second partial refund. */
  g_assert_true (kassa_payment_status_can_transition (KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED,
                                                      KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED));
}

static void
test_other_labels (void)
{
  g_assert_cmpstr (kassa_delivery_method_get_display_name (KASSA_DELIVERY_METHOD_PICKUP), ==, "Pickup");
  g_assert_cmpstr (kassa_order_mode_get_display_name (KASSA_ORDER_MODE_STRIPE), ==, "Stripe");
  g_assert_cmpstr (kassa_invoice_kind_get_display_name (KASSA_INVOICE_KIND_CREDIT_NOTE), ==, "Credit note");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (machines); i++)
    {
      g_autofree char *exhaustive = g_strdup_printf ("/kassa/transitions/%s/exhaustive", machines[i].name);
      g_autofree char *names = g_strdup_printf ("/kassa/transitions/%s/display-names", machines[i].name);

      g_test_add_data_func (exhaustive, &machines[i], test_exhaustive);
      g_test_add_data_func (names, &machines[i], test_display_names);
    }

  g_test_add_func ("/kassa/transitions/messages", test_messages);
  g_test_add_func ("/kassa/transitions/other-labels", test_other_labels);

  return g_test_run ();
}
