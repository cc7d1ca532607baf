import { defineCollection } from "astro:content";
import { lessonLoader } from "./lessons/lesson-loader.ts";
import { lessonSchema } from "./lessons/lesson-schema.ts";

export const collections = {
  lessons: defineCollection({ loader: lessonLoader({ base: "./lessons" }), schema: lessonSchema }),
};
