ALTER TABLE "conversations" ADD COLUMN "unreachable_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "status_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "messages_outbound_channel_id" ON "messages" USING btree ("channel","channel_message_id") WHERE direction = 'out';