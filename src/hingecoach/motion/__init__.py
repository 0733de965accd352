"""Pure signal code on keypoint arrays: numpy and scipy only, never cv2 or mediapipe."""
