CREATE TABLE "documents" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"request_id" text,
	"role" text,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"file_name" text,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"reference" text NOT NULL,
	"conversation_id" text NOT NULL,
	"channel" text NOT NULL,
	"locale" text DEFAULT 'ar' NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"full_name" text NOT NULL,
	"national_id_hash" text NOT NULL,
	"national_id_enc" text NOT NULL,
	"national_id_last4" text NOT NULL,
	"id_type" text NOT NULL,
	"mobile" text NOT NULL,
	"residence" jsonb NOT NULL,
	"other_associations" boolean NOT NULL,
	"other_associations_names" text,
	"eligibility" jsonb NOT NULL,
	"declared_at" timestamp with time zone NOT NULL,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_request_id_support_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."support_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "documents_request" ON "documents" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "documents_conversation" ON "documents" USING btree ("conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "support_requests_reference" ON "support_requests" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "support_requests_id_hash" ON "support_requests" USING btree ("national_id_hash");--> statement-breakpoint
CREATE INDEX "support_requests_conversation" ON "support_requests" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "support_requests_status" ON "support_requests" USING btree ("status","created_at");